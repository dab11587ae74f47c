//! OSC over UDP: each packet from an allowed sender is decoded (`rosc`),
//! a bundle's messages in order, and each message becomes a command sent
//! to the operator's loop. OSC has no authentication: without an allow
//! list it listens on 127.0.0.1 only; with one, packets from any other
//! sender are dropped. A packet that cannot be used (malformed, an unknown
//! address, an argument of the wrong type, a sender not allowed, too many
//! commands waiting) is dropped and said on the operator screen, at most
//! once every [`NOTICE_EVERY`], with how many were dropped since.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use rosc::OscPacket;
use tokio::net::UdpSocket;

use showcall_core::journal::Source;

use super::{Ask, Command, Gate, Request, Sink};

/// How often a dropped packet may be said on the operator screen.
pub const NOTICE_EVERY: Duration = Duration::from_secs(5);

/// The largest packet taken, in bytes; a longer one is dropped and said
/// with its size (it is read whole, up to UDP's 64 kB, to say so).
pub const DATAGRAM_MAX: usize = 8192;

/// The most a UDP datagram can hold: the read buffer's size.
const UDP_MAX: usize = 65536;

/// Says dropped packets on the screen, rate-limited.
struct Notices {
    sink: Sink,
    gate: Gate,
    last: Option<Instant>,
    dropped: usize,
}

impl Notices {
    /// Counts a dropped packet and says `why` unless one was said within
    /// [`NOTICE_EVERY`].
    fn drop_packet(&mut self, why: String) {
        self.dropped += 1;
        if self.last.is_some_and(|t| t.elapsed() < NOTICE_EVERY) {
            return;
        }
        let Some(ticket) = self.gate.enter() else {
            return;
        };
        let more = self.dropped - 1;
        let text = if more > 0 {
            format!("OSC dropped: {why} (and {more} more since the last notice)")
        } else {
            format!("OSC dropped: {why}")
        };
        (self.sink)(Request {
            ask: Ask::Notice(text),
            source: Source::Osc,
            reply: None,
            ticket,
        });
        self.last = Some(Instant::now());
        self.dropped = 0;
    }
}

/// The messages of a packet, a bundle's (and its bundles') in order.
pub fn messages(packet: OscPacket, out: &mut Vec<rosc::OscMessage>) {
    match packet {
        OscPacket::Message(m) => out.push(m),
        OscPacket::Bundle(b) => {
            for p in b.content {
                messages(p, out);
            }
        }
    }
}

/// Whether a packet from `from` is taken: anyone on 127.0.0.1 when no
/// list is given (the socket listens there only), else those listed.
pub fn allowed(from: IpAddr, allow: &[IpAddr]) -> bool {
    let from = match from {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(from, IpAddr::V4),
        v4 => v4,
    };
    if allow.is_empty() {
        from.is_loopback()
    } else {
        allow.contains(&from)
    }
}

/// What one packet asks: its commands in order, or why it is dropped.
pub fn commands(bytes: &[u8]) -> Result<Vec<Command>, String> {
    if bytes.len() > DATAGRAM_MAX {
        return Err(format!(
            "a packet of {} bytes: at most {DATAGRAM_MAX}",
            bytes.len()
        ));
    }
    let (_, packet) =
        rosc::decoder::decode_udp(bytes).map_err(|e| format!("not an OSC packet ({e})"))?;
    let mut list = Vec::new();
    messages(packet, &mut list);
    let mut out = Vec::with_capacity(list.len());
    for m in &list {
        if let Some(c) = super::parse::osc(m)? {
            out.push(c);
        }
    }
    Ok(out)
}

/// Serves OSC on `socket` for the rest of the process.
pub async fn serve(socket: UdpSocket, allow: Vec<IpAddr>, sink: Sink, gate: Gate) {
    let mut buf = vec![0u8; UDP_MAX];
    let mut notices = Notices {
        sink: sink.clone(),
        gate: gate.clone(),
        last: None,
        dropped: 0,
    };
    loop {
        let Ok((n, from)) = socket.recv_from(&mut buf).await else {
            continue;
        };
        if !allowed(from.ip(), &allow) {
            notices.drop_packet(format!("{} is not on --osc-allow", from.ip()));
            continue;
        }
        let cmds = match commands(&buf[..n]) {
            Ok(c) => c,
            Err(why) => {
                notices.drop_packet(why);
                continue;
            }
        };
        for cmd in cmds {
            let Some(ticket) = gate.enter() else {
                notices.drop_packet("too many commands waiting".into());
                break;
            };
            (sink)(Request {
                ask: Ask::Act(cmd),
                source: Source::Osc,
                reply: None,
                ticket,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rosc::{OscBundle, OscMessage, OscTime, OscType as T};

    fn encode(p: &OscPacket) -> Vec<u8> {
        rosc::encoder::encode(p).unwrap()
    }

    #[test]
    fn a_bundles_messages_come_in_order() {
        let m = |addr: &str, args| {
            OscPacket::Message(OscMessage {
                addr: addr.into(),
                args,
            })
        };
        let inner = OscPacket::Bundle(OscBundle {
            timetag: OscTime::from((0, 1)),
            content: vec![m("/showcall/time", vec![T::Int(60)])],
        });
        let b = OscPacket::Bundle(OscBundle {
            timetag: OscTime::from((0, 1)),
            content: vec![
                m("/showcall/go", vec![]),
                inner,
                m("/showcall/clear", vec![]),
            ],
        });
        assert_eq!(
            commands(&encode(&b)),
            Ok(vec![Command::Go, Command::Time(60), Command::Clear])
        );
        // One bad message drops the whole packet: nothing half done.
        let bad = OscPacket::Bundle(OscBundle {
            timetag: OscTime::from((0, 1)),
            content: vec![m("/showcall/go", vec![]), m("/showcall/nope", vec![])],
        });
        assert!(commands(&encode(&bad)).unwrap_err().contains("nope"));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(
            commands(b"hello")
                .unwrap_err()
                .contains("not an OSC packet")
        );
        assert!(commands(b"").is_err());
        assert!(commands(&[0xff; 40]).is_err());
    }

    #[test]
    fn a_packet_too_long_is_said_by_its_size_not_as_garbage() {
        // A well-formed note of 9000 characters: 16 bytes of address,
        // 4 of type tags, 9000 + 4 of padded text = 9024 bytes.
        let long = OscPacket::Message(OscMessage {
            addr: "/showcall/note".into(),
            args: vec![T::String("x".repeat(9000))],
        });
        let bytes = encode(&long);
        assert_eq!(bytes.len(), 9024);
        assert_eq!(
            commands(&bytes),
            Err("a packet of 9024 bytes: at most 8192".into())
        );
    }

    #[test]
    fn only_allowed_senders() {
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        let desk: IpAddr = "10.0.0.5".parse().unwrap();
        let other: IpAddr = "10.0.0.6".parse().unwrap();
        assert!(allowed(local, &[]));
        assert!(!allowed(desk, &[]));
        assert!(allowed(desk, &[desk]));
        assert!(!allowed(other, &[desk]));
        assert!(allowed("::ffff:10.0.0.5".parse().unwrap(), &[desk]));
    }
}
