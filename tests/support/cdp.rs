//! Headless Chromium driven over its DevTools protocol, through
//! `--remote-debugging-pipe` (two named pipes, so no WebSocket crate):
//! open a page at a size, read its DOM with JavaScript, take a screenshot.
//! When no chromium is installed the caller skips (and fails under `CI`).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The browser on PATH, if any.
pub fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let out = Command::new("sh")
                .args(["-c", &format!("command -v {name}")])
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
}

/// None (after saying so) when there is no browser and `CI` is not set;
/// panics under `CI`, which never skips.
pub fn browser_or_skip(test: &str) -> Option<PathBuf> {
    match chromium() {
        Some(p) => Some(p),
        None if std::env::var_os("CI").is_some() => {
            panic!("{test}: chromium is missing and CI is set (apt-get install -y chromium)")
        }
        None => {
            eprintln!("{test}: SKIPPED, chromium is not installed (apt-get install -y chromium)");
            None
        }
    }
}

/// One browser with one page.
pub struct Browser {
    child: Child,
    w: std::fs::File,
    r: BufReader<std::fs::File>,
    next: u64,
    session: String,
    _dir: tempfile::TempDir,
}

impl Browser {
    /// Starts `exe` headless with a fresh profile and opens a blank page.
    pub fn start(exe: &Path) -> Browser {
        let dir = tempfile::tempdir().unwrap();
        let (pin, pout) = (dir.path().join("in"), dir.path().join("out"));
        for p in [&pin, &pout] {
            assert!(Command::new("mkfifo").arg(p).status().unwrap().success());
        }
        let profile = dir.path().join("profile");
        let child = Command::new("sh")
            .args([
                "-c",
                "exec \"$0\" --headless --no-sandbox --disable-gpu --no-first-run \
                 --disable-background-networking --disable-component-update --disable-sync \
                 --user-data-dir=\"$3\" --remote-debugging-pipe 3<\"$1\" 4>\"$2\"",
            ])
            .arg(exe)
            .arg(&pin)
            .arg(&pout)
            .arg(&profile)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let w = std::fs::OpenOptions::new().write(true).open(&pin).unwrap();
        let r = BufReader::new(std::fs::File::open(&pout).unwrap());
        let mut b = Browser {
            child,
            w,
            r,
            next: 0,
            session: String::new(),
            _dir: dir,
        };
        let target = b.call("Target.createTarget", json!({"url": "about:blank"}));
        let target = target["targetId"].as_str().unwrap().to_string();
        let s = b.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        );
        b.session = s["sessionId"].as_str().unwrap().to_string();
        b
    }

    /// Sends `method` and waits for its answer (events in between are
    /// dropped). Panics on a protocol error.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            msg["sessionId"] = json!(self.session);
        }
        self.w.write_all(msg.to_string().as_bytes()).unwrap();
        self.w.write_all(b"\0").unwrap();
        self.w.flush().unwrap();
        loop {
            let mut buf = Vec::new();
            let n = self.r.read_until(0, &mut buf).unwrap();
            assert!(n > 0, "the browser closed its pipe");
            buf.pop();
            let v: Value = serde_json::from_slice(&buf).unwrap();
            if v["id"] == json!(id) {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
        }
    }

    /// Opens `url` at `w`×`h` CSS pixels.
    pub fn open(&mut self, url: &str, w: u32, h: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": w, "height": h, "deviceScaleFactor": 1, "mobile": false}),
        );
        self.call("Page.navigate", json!({"url": url}));
    }

    /// The value of the JavaScript expression `expr` in the page.
    pub fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true}),
        );
        r["result"]["value"].clone()
    }

    /// Waits (up to 10 s) until `expr` is a non-empty string, and returns it.
    pub fn wait_text(&mut self, expr: &str) -> String {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            if let Value::String(s) = self.eval(expr)
                && !s.is_empty()
            {
                return s;
            }
            assert!(Instant::now() < until, "timed out waiting for {expr}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A PNG of the page as it is now, written to `path`.
    pub fn screenshot(&mut self, path: &Path) {
        use base64::Engine;
        let r = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let png = base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap();
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
