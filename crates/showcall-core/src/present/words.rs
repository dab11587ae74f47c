//! The speaker screen's words, in one table per language ([`EN`], [`FR`],
//! [`ES`]): every front end (the terminal's speaker screen, the browser's
//! speaker page) says the same thing from here.

use crate::agenda::Thresholds;
use crate::show::Signal;
use crate::text::hms;

/// A language the speaker-facing views speak. The command line maps its
/// own option to this; `?lang=` on a web page parses to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// French.
    Fr,
    /// Spanish.
    Es,
}

impl Lang {
    /// Every language, in the order they are offered.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Es];

    /// The two-letter code (`en`, `fr`, `es`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
        }
    }

    /// The language of a two-letter code, any case; None for anything else.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }
}

/// Every word the speaker screen shows, in one language. Short and in
/// capitals where they are signals, so they read from a lectern or a booth.
#[derive(Debug)]
pub struct Words {
    /// The warn signal.
    pub wrap_up: &'static str,
    /// The final signal when its threshold is not whole minutes.
    pub final_: &'static str,
    /// Minutes, for the final signal: `1 MIN`.
    pub min: &'static str,
    /// The countdown at 0:00.
    pub times_up: &'static str,
    /// Past zero: `OVER +1:20`.
    pub over: &'static str,
    /// The plan has the session on now, but it has not been started.
    pub not_started: &'static str,
    /// Before the show: the countdown to the first session.
    pub starts_in: &'static str,
    /// What comes next: `NEXT 16:15 · title`.
    pub next: &'static str,
    /// Between sessions, once the show has started.
    pub between: &'static str,
    /// After the last session.
    pub finished: &'static str,
    /// A timed intervention that counts up (the session has no slot).
    pub floor: &'static str,
    /// An unnamed speaker from the floor: `Speaker 3`.
    pub speaker: &'static str,
    /// The session's own countdown while someone has the floor.
    pub session: &'static str,
    /// The heading of the stage manager's message.
    pub message: &'static str,
    /// A planned slot: `plan 15:10–15:40`.
    pub plan: &'static str,
    /// The word shown on the speaker screen during a rehearsal, so nobody takes
    /// it for the real show: `REHEARSAL`.
    pub rehearsal: &'static str,
    /// Between sessions once the next one is due: it waits for its cue.
    /// Never a frozen 0:00, which a speaker reads as "time's up".
    pub standby: &'static str,
    /// The show is held (`h`): the countdown stands still. `HOLD 1:20`.
    pub hold: &'static str,
    /// The STOP message preset.
    pub stop: &'static str,
    /// After `e`: the time the session that just ended ran.
    pub final_time: &'static str,
    /// The hard end (`must_end_by`), on the screen's edge when the show
    /// runs past it.
    pub hard_end: &'static str,
}

/// English.
pub const EN: Words = Words {
    wrap_up: "WRAP UP",
    final_: "FINAL",
    min: "MIN",
    times_up: "TIME'S UP",
    over: "OVER",
    not_started: "NOT STARTED",
    starts_in: "STARTS IN",
    next: "NEXT",
    between: "BETWEEN SESSIONS",
    finished: "FINISHED",
    floor: "FLOOR",
    speaker: "Speaker",
    session: "SESSION",
    message: "MESSAGE",
    plan: "plan",
    rehearsal: "REHEARSAL",
    standby: "STAND BY",
    hold: "HOLD",
    stop: "STOP",
    final_time: "FINAL TIME",
    hard_end: "HARD END",
};

/// French.
pub const FR: Words = Words {
    wrap_up: "CONCLUEZ",
    final_: "TERMINEZ",
    min: "MIN",
    times_up: "TEMPS ÉCOULÉ",
    over: "DÉPASSEMENT",
    not_started: "PAS COMMENCÉ",
    starts_in: "DÉBUT DANS",
    next: "ENSUITE",
    between: "ENTRE LES SESSIONS",
    finished: "TERMINÉ",
    floor: "PRISE DE PAROLE",
    speaker: "Intervenant",
    session: "SESSION",
    message: "MESSAGE",
    plan: "prévu",
    rehearsal: "RÉPÉTITION",
    standby: "EN ATTENTE",
    hold: "SUSPENDU",
    stop: "ARRÊTEZ",
    final_time: "TEMPS FINAL",
    hard_end: "FIN IMPÉRATIVE",
};

/// Spanish.
pub const ES: Words = Words {
    wrap_up: "CONCLUYA",
    final_: "TERMINE",
    min: "MIN",
    times_up: "TIEMPO AGOTADO",
    over: "EXCEDIDO",
    not_started: "SIN INICIAR",
    starts_in: "EMPIEZA EN",
    next: "A CONTINUACIÓN",
    between: "ENTRE SESIONES",
    finished: "FINALIZADO",
    floor: "INTERVENCIÓN",
    speaker: "Orador",
    session: "SESIÓN",
    message: "MENSAJE",
    plan: "previsto",
    rehearsal: "ENSAYO",
    standby: "EN ESPERA",
    hold: "EN PAUSA",
    stop: "PARE",
    final_time: "TIEMPO FINAL",
    hard_end: "FIN OBLIGATORIO",
};

/// The words of `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
        Lang::Es => &ES,
    }
}

impl Words {
    /// A message preset of the operator screen (`WRAP UP`, `5 MIN`,
    /// `1 MIN`, `STOP`, as the journal has them) in these words; None for
    /// any other text, which is shown as written.
    pub fn preset(&self, text: &str) -> Option<String> {
        match text {
            "WRAP UP" => Some(self.wrap_up.into()),
            "STOP" => Some(self.stop.into()),
            _ => {
                let n = text.strip_suffix(" MIN")?;
                (n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| format!("{n} {}", self.min))
            }
        }
    }

    /// The word for a countdown showing `secs` (as
    /// [`countdown_secs`](crate::status::countdown_secs) rounds it) at
    /// `signal`, with the thresholds that set it. Empty while there is
    /// nothing to signal.
    pub fn signal(&self, signal: Signal, secs: i64, t: Thresholds) -> String {
        if secs == 0 {
            return self.times_up.into();
        }
        if secs < 0 {
            return format!("{} +{}", self.over, hms(-secs));
        }
        match signal {
            Signal::Ok => String::new(),
            Signal::Warn => self.wrap_up.into(),
            Signal::Final => {
                let s = t.final_.num_seconds();
                if s > 0 && s % 60 == 0 {
                    format!("{} {}", s / 60, self.min)
                } else {
                    self.final_.into()
                }
            }
            // A countdown that reads above zero is not over yet.
            Signal::Over => self.times_up.into(),
        }
    }
}
