//! Typed reading of one spanned TOML table: each key's value with the span
//! of its text, problems collected in [`Ctx`] and never fatal on their own.

use super::*;

/// The problem has been reported; the caller carries on without the value.
pub(super) struct Reported;

/// A value with the span of its text, or absent, or already reported.
pub(super) type Field<T> = Result<Option<(T, Span)>, Reported>;

pub(super) struct Problem {
    pub(super) span: Span,
    pub(super) message: String,
    pub(super) help: Option<String>,
}

pub(super) struct Ctx<'s> {
    pub(super) src: &'s str,
    pub(super) problems: Vec<Problem>,
    /// Where each line starts, for `Session::line` and the diagnostics.
    pub(super) lines: LineIndex,
}

impl Ctx<'_> {
    pub(super) fn error(&mut self, span: Span, message: impl Into<String>, help: Option<String>) {
        self.problems.push(Problem {
            span,
            message: message.into(),
            help,
        });
    }

    pub(super) fn bad(&mut self, span: Span, bad: Bad) {
        let message = match bad.detail {
            Some(d) => format!("{}: {d}", bad.message),
            None => bad.message,
        };
        self.error(span, message, bad.help);
    }

    pub(super) fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset)
    }
}

/// One table of the file, with what to call it in messages.
pub(super) struct Table<'t, 'i> {
    pub(super) map: &'t DeTable<'i>,
    pub(super) span: Span,
    pub(super) name: String,
}

pub(super) fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date or time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'t, 'i> Table<'t, 'i> {
    pub(super) fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.map.get(key)
    }

    pub(super) fn check_keys(&self, ctx: &mut Ctx<'_>, known: &[&str]) {
        for (k, _) in self.map.iter() {
            let key: &str = k.get_ref();
            if known.contains(&key) {
                continue;
            }
            let help = match values::closest(key, known.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("the keys of {} are: {}", self.name, known.join(", ")),
            };
            ctx.error(
                k.span(),
                format!("unknown key '{}' in {}", sanitize(key), self.name),
                Some(help),
            );
        }
    }

    pub(super) fn wrong_type(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        v: &Spanned<DeValue<'_>>,
        want: &str,
    ) {
        ctx.error(
            v.span(),
            format!(
                "`{key}` in {} must be {want}, not {}",
                self.name,
                type_name(v.get_ref())
            ),
            None,
        );
    }

    pub(super) fn missing(&self, ctx: &mut Ctx<'_>, key: &str, example: &str) {
        ctx.error(
            self.span.clone(),
            format!("missing `{key}` in {}", self.name),
            Some(format!("add `{key} = {example}`")),
        );
    }

    pub(super) fn string(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<&'t str> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.get_ref() {
                DeValue::String(s) => Ok(Some((s.as_ref(), v.span()))),
                _ => {
                    self.wrong_type(ctx, key, v, "a string");
                    Err(Reported)
                }
            },
        }
    }

    /// A string that will be shown on a terminal: no control characters or
    /// escape sequences (`notes` may have newlines and tabs).
    pub(super) fn text(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<String> {
        let Some((s, span)) = self.string(ctx, key)? else {
            return Ok(None);
        };
        check_text(
            ctx,
            s,
            span.clone(),
            &format!("`{key}` in {}", self.name),
            key == "notes",
        )?;
        Ok(Some((s.to_string(), span)))
    }

    pub(super) fn required_text(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        example: &str,
    ) -> Field<String> {
        let got = self.text(ctx, key)?;
        if got.is_none() {
            self.missing(ctx, key, example);
            return Err(Reported);
        }
        Ok(got)
    }

    pub(super) fn array(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        want: &str,
    ) -> Field<&'t [Spanned<DeValue<'i>>]> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.get_ref() {
                DeValue::Array(a) => Ok(Some((&a[..], v.span()))),
                _ => {
                    self.wrong_type(ctx, key, v, want);
                    Err(Reported)
                }
            },
        }
    }

    pub(super) fn text_list(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<Vec<String>> {
        let Some((items, span)) = self.array(ctx, key, "a list of strings")? else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (n, item) in items.iter().enumerate() {
            let what = format!("item {} of `{key}` in {}", n + 1, self.name);
            match item.get_ref() {
                DeValue::String(s) => {
                    if check_text(ctx, s, item.span(), &what, false).is_ok() {
                        out.push(s.to_string());
                    } else {
                        ok = false;
                    }
                }
                other => {
                    ctx.error(
                        item.span(),
                        format!("{what} must be a string, not {}", type_name(other)),
                        None,
                    );
                    ok = false;
                }
            }
        }
        if ok {
            Ok(Some((out, span)))
        } else {
            Err(Reported)
        }
    }

    pub(super) fn bool(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<bool> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.get_ref() {
                DeValue::Boolean(b) => Ok(Some((*b, v.span()))),
                _ => {
                    self.wrong_type(ctx, key, v, "true or false");
                    Err(Reported)
                }
            },
        }
    }

    /// A whole number from `lo` to `hi`.
    pub(super) fn int_in(&self, ctx: &mut Ctx<'_>, key: &str, lo: i64, hi: i64) -> Field<i64> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let n = match v.get_ref() {
            DeValue::Integer(i) => i.as_str().parse::<i64>().ok(),
            _ => {
                self.wrong_type(ctx, key, v, "a whole number");
                return Err(Reported);
            }
        };
        match n {
            Some(n) if (lo..=hi).contains(&n) => Ok(Some((n, v.span()))),
            _ => {
                ctx.error(
                    v.span(),
                    format!("`{key}` in {} must be from {lo} to {hi}", self.name),
                    Some(format!("e.g. `{key} = {}`", (lo + hi) / 10)),
                );
                Err(Reported)
            }
        }
    }

    pub(super) fn duration(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<TimeDelta> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        match v.get_ref() {
            DeValue::String(s) => match values::parse_duration(s) {
                Ok(d) => Ok(Some((d, v.span()))),
                Err(bad) => {
                    ctx.bad(v.span(), quote_field(bad, key, &self.name));
                    Err(Reported)
                }
            },
            DeValue::Integer(i) => {
                ctx.error(
                    v.span(),
                    format!(
                        "`{key}` in {} must be a duration string, not an integer",
                        self.name
                    ),
                    Some(format!(
                        "write it with a unit, e.g. `{key} = \"{}m\"`",
                        i.as_str()
                    )),
                );
                Err(Reported)
            }
            _ => {
                self.wrong_type(ctx, key, v, "a duration like \"10m\"");
                Err(Reported)
            }
        }
    }

    /// A clock time: `"15:00"`, `"15:00:30"` or a TOML local time `15:00:00`.
    pub(super) fn time(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<NaiveTime> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        match v.get_ref() {
            DeValue::String(s) => match values::parse_time(s) {
                Ok(t) => Ok(Some((t, v.span()))),
                Err(bad) => {
                    ctx.bad(v.span(), quote_field(bad, key, &self.name));
                    Err(Reported)
                }
            },
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (None, Some(t), None) => {
                    match NaiveTime::from_hms_opt(t.hour.into(), t.minute.into(), t.second.into()) {
                        Some(t) => Ok(Some((t, v.span()))),
                        None => {
                            ctx.error(v.span(), format!("malformed time '{dt}'"), None);
                            Err(Reported)
                        }
                    }
                }
                _ => {
                    ctx.error(
                        v.span(),
                        format!(
                            "`{key}` in {} must be a time of day like 15:00, not '{dt}'",
                            self.name
                        ),
                        Some("give the clock time only; set the day with `date`".into()),
                    );
                    Err(Reported)
                }
            },
            _ => {
                self.wrong_type(ctx, key, v, "a time like \"15:00\"");
                Err(Reported)
            }
        }
    }

    /// A date: `"2023-06-22"` or a TOML local date `2023-06-22`.
    pub(super) fn date(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<NaiveDate> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let parsed = match v.get_ref() {
            DeValue::String(s) => values::parse_date(s),
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    values::date_from_ymd(d.year.into(), d.month.into(), d.day.into())
                }
                _ => {
                    ctx.error(
                        v.span(),
                        format!(
                            "`{key}` in {} must be a date like 2023-06-22, not '{dt}'",
                            self.name
                        ),
                        Some("give the date only; times belong to each session".into()),
                    );
                    return Err(Reported);
                }
            },
            _ => {
                self.wrong_type(ctx, key, v, "a date like \"2023-06-22\"");
                return Err(Reported);
            }
        };
        match parsed {
            Ok(d) => Ok(Some((d, v.span()))),
            Err(bad) => {
                ctx.bad(v.span(), quote_field(bad, key, &self.name));
                Err(Reported)
            }
        }
    }

    pub(super) fn zone_of(
        ctx: &mut Ctx<'_>,
        s: &str,
        span: Span,
        what: &str,
    ) -> Result<Tz, Reported> {
        if let Ok(tz) = s.parse::<Tz>() {
            return Ok(tz);
        }
        let abbreviation = (2..=5).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase());
        let guess = values::closest(s, chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()));
        let help = match guess {
            Some(c) if !abbreviation => format!("did you mean \"{c}\"?"),
            _ if abbreviation => abbreviation_help(s),
            _ => "use an IANA zone name such as \"Europe/Zurich\"".into(),
        };
        ctx.error(
            span,
            format!("unknown time zone '{}' in {what}", sanitize(s)),
            Some(help),
        );
        Err(Reported)
    }

    pub(super) fn zone(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<Tz> {
        let Some((s, span)) = self.string(ctx, key)? else {
            return Ok(None);
        };
        let tz = Self::zone_of(ctx, s, span.clone(), &format!("`{key}`"))?;
        Ok(Some((tz, span)))
    }

    pub(super) fn zone_list(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<Vec<Tz>> {
        let Some((items, span)) = self.array(ctx, key, "a list of time zone names")? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => match Self::zone_of(ctx, s, item.span(), &format!("`{key}`"))
                {
                    Ok(tz) => out.push(tz),
                    Err(Reported) => ok = false,
                },
                other => {
                    ctx.error(
                        item.span(),
                        format!(
                            "items of `{key}` must be zone names, not {}",
                            type_name(other)
                        ),
                        None,
                    );
                    ok = false;
                }
            }
        }
        if ok {
            Ok(Some((out, span)))
        } else {
            Err(Reported)
        }
    }
}

/// The value if it was present and good; problems are already reported.
pub(super) fn ok<T>(r: Field<T>) -> Option<(T, Span)> {
    r.ok().flatten()
}

/// Names the field in a value error: `malformed time '9h'` becomes
/// `malformed time '9h' for `start` in session 'panel'`.
pub(super) fn quote_field(bad: Bad, key: &str, table: &str) -> Bad {
    Bad {
        message: format!("{} for `{key}` in {table}", sanitize(&bad.message)),
        ..bad
    }
}

pub(super) fn check_text(
    ctx: &mut Ctx<'_>,
    s: &str,
    span: Span,
    what: &str,
    multiline: bool,
) -> Result<(), Reported> {
    let Some(c) = values::first_unsafe(s, multiline) else {
        return Ok(());
    };
    let help = if multiline {
        "remove it; `notes` may hold plain text, newlines and tabs only"
    } else {
        "remove it; only plain text on one line is allowed here"
    };
    ctx.error(
        span,
        format!("{what} contains {}", values::describe_unsafe(c)),
        Some(help.into()),
    );
    Err(Reported)
}
