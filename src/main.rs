//! The `showcall` binary: everything is in the library ([`showcall::main`]).

fn main() -> std::process::ExitCode {
    showcall::main()
}
