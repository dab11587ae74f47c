//! The real binary in a pseudo-terminal, for end-to-end tests: spawn it,
//! type into it, read the screen through a vt100 parser.

#![allow(dead_code)] // each test file uses its own part of it

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub struct Screen {
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote to the terminal, unparsed.
    pub raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    _pair_master: Box<dyn portable_pty::MasterPty + Send>,
    /// Tells the reader thread to let go of its copy of the master.
    hang_up: Arc<std::sync::atomic::AtomicBool>,
}

impl Screen {
    pub fn spawn(dir: &Path, args: &[&str], cols: u16, rows: u16) -> Screen {
        Screen::spawn_program(dir, env!("CARGO_BIN_EXE_showcall"), args, cols, rows)
    }

    /// [`Screen::spawn`] of another program (e.g. `setpriv … showcall`).
    pub fn spawn_program(dir: &Path, program: &str, args: &[&str], cols: u16, rows: u16) -> Screen {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let p = Arc::clone(&parser);
        let raw = Arc::new(Mutex::new(Vec::new()));
        let r = Arc::clone(&raw);
        let hang_up = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let h = Arc::clone(&hang_up);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || h.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Screen {
            parser,
            raw,
            writer,
            child,
            _pair_master: pair.master,
            hang_up,
        }
    }

    /// Closes the terminal under the program, as a dropped SSH connection
    /// does: every copy of the master side goes (the reader's once the
    /// program next writes). Returns the program, to wait for.
    pub fn hang_up(self) -> Box<dyn Child + Send + Sync> {
        self.hang_up
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let Screen { child, .. } = self;
        child
    }

    pub fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn wait_for(&self, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.text().contains(what) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("'{what}' never appeared; the screen:\n{}", self.text());
    }

    /// Writes `s` in pieces of `chunk` bytes with no pause between them,
    /// as a terminal passes on a long paste.
    #[allow(dead_code)]
    pub fn stream(&mut self, s: &str, chunk: usize) {
        for piece in s.as_bytes().chunks(chunk) {
            self.writer.write_all(piece).unwrap();
            self.writer.flush().unwrap();
        }
        std::thread::sleep(Duration::from_millis(150));
    }

    pub fn keys(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // Let the program take each burst as its own input.
        std::thread::sleep(Duration::from_millis(150));
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "did not exit:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

/// A temporary folder holding a copy of the project's `agenda.toml`, the
/// reference event every end-to-end test calls.
pub fn agenda_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/agenda.toml"),
        dir.path().join("agenda.toml"),
    )
    .unwrap();
    dir
}

/// A journal's lines as JSON values; none if the file does not exist.
pub fn journal_lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
