//! `showcall speaker`: the speaker-facing screen's model and runner. (placeholder)

use crate::app::Fail;
use crate::cli::{Lang, ShowArgs};

pub fn run(_args: &ShowArgs, _lang: Lang, _bell: bool) -> Result<(), Fail> {
    Err(Fail::BadInput("the speaker screen is not built yet".into()))
}
