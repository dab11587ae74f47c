//! showcall-serve: the show in any browser in the venue.
//!
//! `showcall serve` follows the journal read-only, exactly as the
//! terminal speaker screen does, and serves four views (speaker, booth,
//! schedule, overlay) and feeds (state JSON, server-sent events of
//! changes, iCalendar, frab schedule.xml/.json). Every page and feed needs
//! the access key in its link; without it, 401 and nothing about the show.
//!
//! ```text
//!  journal ──Follower──▶ Model (one thread, wakes on the file and on the
//!                        show clock's second) ──publish──▶ watch<Published>
//!                                                             │
//!  browser ◀── axum handlers: pages (embedded), /api/state, /api/events (SSE)
//! ```
//!
//! The model thread computes everything once per change; handlers hand out
//! the latest [`model::Published`] and the show-clock instant. A slow
//! viewer only ever misses intermediate versions (a `watch` channel holds
//! one value), so it never holds up the others or grows memory.

#![warn(missing_docs)]

pub mod control;
pub mod feeds;
pub mod key;
pub mod model;
mod routes;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::watch;

use showcall_core::clock::Clock;
use showcall_core::journal::Follower;
use showcall_core::show::Show;

use model::{Model, Published};

/// What `showcall serve` was asked for.
pub struct Config {
    /// The agenda as loaded (shifted for a rehearsal).
    pub agenda: showcall_core::agenda::Agenda,
    /// The journal followed (never written or locked).
    pub journal: PathBuf,
    /// The show clock (the operator's, or `--at`/`--speed`'s).
    pub clock: Box<dyn Clock>,
    /// A rehearsal journal is followed.
    pub rehearsal: bool,
    /// Listen on every interface instead of this machine only.
    pub network: bool,
    /// The TCP port (0: any free one).
    pub port: u16,
    /// Replace the access key (old links stop working).
    pub new_key: bool,
}

/// The show-clock instant at a real instant, so handlers (on other
/// threads) tell the time without the clock object.
#[derive(Debug, Clone, Copy)]
pub struct ClockAnchor {
    /// The show-clock instant at `real`.
    pub show: DateTime<Utc>,
    /// The real instant the anchor was taken.
    pub real: Instant,
    /// Show seconds per real second.
    pub speed: f64,
}

impl ClockAnchor {
    /// The show clock now.
    pub fn now(&self) -> DateTime<Utc> {
        let real = self.real.elapsed().as_secs_f64() * self.speed;
        self.show + TimeDelta::microseconds((real * 1e6) as i64)
    }
}

/// What every handler shares.
pub struct Shared {
    /// The access key every keyed route needs.
    pub key: String,
    /// The latest state, faces and version.
    pub published: watch::Receiver<Arc<Published>>,
    /// The show clock.
    pub anchor: ClockAnchor,
    /// The show, for the feeds (read under the lock, briefly).
    pub show: std::sync::Mutex<Show>,
}

/// The views, in the order their links are printed.
pub const VIEWS: [&str; 4] = ["speaker", "booth", "schedule", "overlay"];

/// Runs the server until the process is stopped: binds, prints the links
/// and a QR code for the speaker view, then follows the journal on this
/// thread. Errors: the port cannot be bound, the key cannot be written.
pub fn run(cfg: Config) -> Result<()> {
    let key = key::load_or_create(&key::path_for(&cfg.journal), cfg.new_key)?;
    let mut follower = Follower::new(&cfg.journal);
    let entries = follower.poll().unwrap_or_default();
    let mut model = Model::new(Show::new(cfg.agenda, entries), follower, cfg.rehearsal);
    let speed = cfg.clock.speed();
    let anchor = ClockAnchor {
        show: cfg.clock.now(),
        real: Instant::now(),
        speed,
    };
    let first = model::publish(&model, None, true, anchor.show, speed).context("first state")?;
    let (tx, rx) = watch::channel(Arc::new(first));
    let shared = Arc::new(Shared {
        key: key.clone(),
        published: rx,
        anchor,
        show: std::sync::Mutex::new(model.show.clone()),
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    let ip = if cfg.network {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    };
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(SocketAddr::new(ip, cfg.port)))
        .with_context(|| {
            format!(
                "cannot listen on {ip}:{} (is another `showcall serve` on it? pick another with --port N, or --port 0 for any free one)",
                cfg.port
            )
        })?;
    let addr = listener.local_addr()?;
    print_links(addr, cfg.network, &key);
    let app = routes::router(shared.clone());
    runtime.spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("showcall serve: {e}");
        }
    });
    follow_loop(&mut model, &*cfg.clock, &cfg.journal, &tx, &shared)
}

/// Follows the journal: wakes when its directory changes or on the show
/// clock's next second, and publishes what changed.
fn follow_loop(
    model: &mut Model,
    clock: &dyn Clock,
    journal: &std::path::Path,
    tx: &watch::Sender<Arc<Published>>,
    shared: &Shared,
) -> Result<()> {
    use notify::Watcher;
    let (wake_tx, wake_rx) = std::sync::mpsc::sync_channel::<()>(1);
    let mut watcher = notify::recommended_watcher(move |_| {
        let _ = wake_tx.try_send(());
    })
    .ok();
    let dir = journal
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if let Some(w) = watcher.as_mut() {
        // Without a watcher the clock's second still wakes the loop.
        let _ = w.watch(dir, notify::RecursiveMode::NonRecursive);
    }
    loop {
        let wait = clock.until_next_second().min(Duration::from_secs(1));
        let _ = wake_rx.recv_timeout(wait);
        let read = model.follow();
        if read && let Ok(mut show) = shared.show.lock() {
            *show = model.show.clone();
        }
        let last = tx.borrow().clone();
        if let Some(p) = model::publish(model, Some(&last), read, clock.now(), clock.speed()) {
            tx.send_replace(Arc::new(p));
        }
    }
}

/// The address a phone on the venue's network reaches this machine at:
/// the interface of the default route (no packet is sent).
fn lan_ip() -> Option<IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("192.0.2.1:9").ok()?;
    s.local_addr().ok().map(|a| a.ip())
}

/// Prints each view's link, then the speaker link as a QR code.
fn print_links(addr: SocketAddr, network: bool, key: &str) {
    let host = if network {
        lan_ip().unwrap_or(addr.ip())
    } else {
        addr.ip()
    };
    let base = format!("http://{}", SocketAddr::new(host, addr.port()));
    println!("showcall serve: listening on {addr}");
    for v in VIEWS {
        println!("  {v:<9} {base}/{v}?k={key}");
    }
    println!("  feeds     {base}/api/state?k={key}  {base}/api/events?k={key}");
    println!(
        "            {base}/schedule.ics?k={key}  {base}/schedule.xml?k={key}  {base}/schedule.json?k={key}"
    );
    let speaker = format!("{base}/speaker?k={key}");
    if let Ok(code) = qrcode::QrCode::new(speaker.as_bytes()) {
        use qrcode::render::unicode::Dense1x2;
        let qr = code
            .render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build();
        println!("The speaker view (scan with a tablet on the same network):\n{qr}");
    }
    if !network {
        println!("Reachable from this machine only; --network opens it to the venue's network.");
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
}
