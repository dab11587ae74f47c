//! The shell of `showcall import` and `showcall export`: read the source,
//! call the library, write the result to standard output or a file that is
//! never overwritten without `--force`. Errors are bad input (exit 2)
//! unless writing fails.

use std::io::Write;
use std::path::Path;

use showcall_core::import::{self, DaySel, Format, Options};

use crate::cli::ImportArgs;
use crate::setup::Fail;

fn bad(msg: impl Into<String>) -> Fail {
    Fail::BadInput(msg.into())
}

fn options(args: &ImportArgs) -> Result<Options, Fail> {
    let format = args
        .format
        .as_deref()
        .map(|f| {
            Format::ALL
                .into_iter()
                .find(|x| x.name() == f)
                .ok_or_else(|| bad(format!("--format {f}: unknown")))
        })
        .transpose()?;
    let day = args
        .day
        .as_deref()
        .map(DaySel::parse)
        .transpose()
        .map_err(|e| bad(format!("--day {e}")))?;
    let timezone = args
        .timezone
        .as_deref()
        .map(|z| {
            z.trim().parse::<chrono_tz::Tz>().map_err(|_| {
                bad(format!("--timezone '{z}': not an IANA zone name (write e.g. Europe/Zurich, America/New_York or UTC; not CET or CEST)"))
            })
        })
        .transpose()?;
    let mut map = Vec::new();
    for m in &args.map {
        map.extend(import::parse_map(m).map_err(|e| bad(format!("--map {e}")))?);
    }
    let last_duration = args
        .last_duration
        .as_deref()
        .map(|d| {
            showcall_core::import::parse_duration(d).ok_or_else(|| {
                bad(format!(
                    "--last-duration '{d}': write a duration like 30m, 1h or 1h30m"
                ))
            })
        })
        .transpose()?;
    let date_order = args
        .date_order
        .as_deref()
        .map(import::DateOrder::parse)
        .transpose()
        .map_err(|e| bad(format!("--date-order {e}")))?;
    Ok(Options {
        format,
        date_order,
        shared_rooms: args.shared_room.clone(),
        room: args.room.clone(),
        all_rooms: args.all_rooms,
        day,
        timezone,
        title: args.title.clone(),
        map,
        sheet: args.sheet.clone(),
        allow_overlap: args.allow_overlap,
        last_duration,
    })
}

/// Writes `text` to `output` (refusing to replace a file without `force`)
/// or to standard output.
fn emit(text: &str, output: Option<&Path>, force: bool, source: Option<&Path>) -> Result<(), Fail> {
    let Some(path) = output else {
        // A reader that goes away (`| head`) is not an error.
        return crate::setup::out(text);
    };
    if let Some(src) = source
        && let (Ok(a), Ok(b)) = (std::fs::canonicalize(src), std::fs::canonicalize(path))
        && a == b
    {
        return Err(bad(format!(
            "{}: that is the source file; write the agenda elsewhere",
            path.display()
        )));
    }
    let mut open = std::fs::OpenOptions::new();
    open.write(true);
    if force {
        open.create(true).truncate(true);
    } else {
        open.create_new(true);
    }
    let mut f = open.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => bad(format!(
            "{}: already exists; nothing was written (give --force to replace it, or another -o FILE)",
            path.display()
        )),
        _ => Fail::Other(anyhow::anyhow!("writing {}: {e}", path.display())),
    })?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| Fail::Other(anyhow::anyhow!("writing {}: {e}", path.display())))
}

/// `showcall import SOURCE …`.
pub fn import(args: &ImportArgs) -> Result<(), Fail> {
    let opts = options(args)?;
    let name = args.source.display().to_string();
    let meta =
        std::fs::metadata(&args.source).map_err(|e| bad(format!("{name}: cannot read it: {e}")))?;
    if !meta.is_file() {
        return Err(bad(format!("{name}: not a file")));
    }
    if meta.len() > import::MAX_SOURCE_BYTES as u64 {
        return Err(bad(format!(
            "{name}: the file is {} MiB, more than the {} MiB an import reads",
            meta.len() / (1024 * 1024),
            import::MAX_SOURCE_BYTES / (1024 * 1024)
        )));
    }
    let bytes =
        std::fs::read(&args.source).map_err(|e| bad(format!("{name}: cannot read it: {e}")))?;
    let done = import::import(&bytes, &name, &opts).map_err(|d| bad(d.to_string()))?;
    for w in &done.warnings {
        crate::setup::note(&format!("{name}: note: {w}"));
    }
    emit(
        &done.toml,
        args.output.as_deref(),
        args.force,
        Some(&args.source),
    )?;
    if let Some(out) = &args.output {
        crate::setup::note(&format!(
            "{}: {} sessions from {name} ({}); check it with: showcall check {}",
            out.display(),
            done.sessions,
            done.format.describe(),
            out.display()
        ));
    }
    Ok(())
}

/// `showcall export AGENDA --format csv`.
pub fn export(agenda: &Path, output: Option<&Path>, force: bool) -> Result<(), Fail> {
    let agenda = crate::setup::load_agenda(agenda)?;
    emit(
        &showcall_core::export::agenda_csv(&agenda),
        output,
        force,
        None,
    )
}
