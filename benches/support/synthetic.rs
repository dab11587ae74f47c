//! A generated agenda for benchmarks: shared by the agenda and screen benches.

/// 10,000 five-second sessions in one day, each with a speaker; all but the
/// last run until the next one starts. About 0.9 MiB, under the 1 MiB limit.
pub fn agenda_toml(n: usize) -> String {
    let mut s = String::from(
        "[event]\ntitle = \"Big\"\ndate = \"2023-06-22\"\ntimezone = \"Europe/Zurich\"\n",
    );
    for i in 0..n {
        let t = 8 * 3600 + 5 * i;
        s.push_str(&format!(
            "[[session]]\nid = \"s{i}\"\ntitle = \"Session {i}\"\nstart = \"{:02}:{:02}:{:02}\"\nspeakers = [\"Speaker\"]\n",
            t / 3600,
            t / 60 % 60,
            t % 60
        ));
    }
    s.push_str("duration = \"5s\"\n");
    s
}
