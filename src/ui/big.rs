//! Big digits for countdowns, as large as the area allows, from the block
//! characters every common terminal font has (full blocks, half blocks and
//! quadrants; never the newer sextant or octant symbols).
//!
//! Both read the 8×8 font of the `font8x8` crate directly. [`render`]
//! draws it at one of three fixed sizes (a pixel per cell, two pixel rows
//! per cell, or 2×2 pixels per cell in quadrant blocks); for the speaker
//! screen's big terminals [`render_max`] paints each pixel as a block of
//! whole columns and half-rows, at the largest scale that fits.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

/// The fixed sizes [`render`] draws at: how many font pixels one cell
/// shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelSize {
    /// One pixel per cell: a glyph is 8×8 cells.
    Full,
    /// Two pixel rows per cell (▀ ▄ █): 8×4 cells.
    HalfHeight,
    /// 2×2 pixels per cell in quadrant blocks: 4×4 cells.
    Quadrant,
}

/// Cells one glyph takes at each size we use: (columns, rows).
fn cell(size: PixelSize) -> (u16, u16) {
    match size {
        PixelSize::Full => (8, 8),
        PixelSize::HalfHeight => (8, 4),
        PixelSize::Quadrant => (4, 4),
    }
}

/// The block character for the pixels of `glyph` that one cell shows at
/// `size`, its top-left pixel at `row`, `col` (bit `col` of a row is its
/// `col`-th pixel from the left).
fn cell_symbol(size: PixelSize, glyph: &[u8; 8], row: usize, col: u32) -> char {
    let lit = |r: usize, c: u32| usize::from(glyph[r] & (1 << c) != 0);
    match size {
        PixelSize::Full => [' ', '█'][lit(row, col)],
        PixelSize::HalfHeight => [' ', '▀', '▄', '█'][lit(row, col) + 2 * lit(row + 1, col)],
        PixelSize::Quadrant => [
            ' ', '▘', '▝', '▀', '▖', '▌', '▞', '▛', '▗', '▚', '▐', '▜', '▄', '▙', '▟', '█',
        ][lit(row, col)
            + 2 * lit(row, col + 1)
            + 4 * lit(row + 1, col)
            + 8 * lit(row + 1, col + 1)],
    }
}

/// Draws `text` in one row of glyphs at `size`, centred in `inner` (whose
/// height is one glyph's), each glyph's cells in `style`; glyphs that do
/// not fit are cut at the right edge.
fn draw_fixed(text: &str, inner: Rect, buf: &mut Buffer, style: Style, size: PixelSize) {
    let (w, h) = cell(size);
    let (step_x, step_y) = (8 / w, 8 / h);
    let line_w = u16::try_from(text.chars().count())
        .unwrap_or(u16::MAX)
        .saturating_mul(w);
    let offset = (inner.width / 2).saturating_sub(line_w / 2);
    let cols = (inner.left() + offset..inner.right()).step_by(usize::from(w));
    for (c, x) in text.chars().zip(cols) {
        let area = Rect::new(x, inner.y, w.min(inner.right() - x), h.min(inner.height));
        buf.set_style(area, style);
        let g = glyph(c);
        for (dy, y) in (area.top()..area.bottom()).enumerate() {
            for (dx, cx) in (area.left()..area.right()).enumerate() {
                let (row, col) = (dy * usize::from(step_y), dx as u32 * u32::from(step_x));
                buf[(cx, y)].set_char(cell_symbol(size, &g, row, col));
            }
        }
    }
}

/// The largest size at which `chars` glyphs fit in `area`, if any.
pub fn pick(chars: usize, area: Rect) -> Option<PixelSize> {
    [PixelSize::Full, PixelSize::HalfHeight, PixelSize::Quadrant]
        .into_iter()
        .find(|&s| {
            let (w, h) = cell(s);
            chars as u16 * w <= area.width && h <= area.height
        })
}

/// Draws `text` centred in `area`, big if it fits, else as one bold line.
pub fn render(text: &str, area: Rect, buf: &mut Buffer, style: Style) {
    let n = text.chars().count();
    match pick(n, area) {
        Some(size) => {
            let (_, h) = cell(size);
            let top = area.y + (area.height - h) / 2;
            let inner = Rect::new(area.x, top, area.width, h);
            draw_fixed(text, inner, buf, style, size);
        }
        None => {
            let top = area.y + area.height.saturating_sub(1) / 2;
            Paragraph::new(Line::styled(text.to_string(), style))
                .alignment(Alignment::Center)
                .render(Rect::new(area.x, top, area.width, 1.min(area.height)), buf);
        }
    }
}

/// The 8×8 glyph of `c`, from the first of the `font8x8` fonts that has
/// it, or blank: row by row, bit `i` of a row is its `i`-th pixel from
/// the left.
fn glyph(c: char) -> [u8; 8] {
    use font8x8::UnicodeFonts;
    let fonts: [&dyn UnicodeFonts; 8] = [
        &font8x8::BASIC_FONTS,
        &font8x8::LATIN_FONTS,
        &font8x8::HIRAGANA_FONTS,
        &font8x8::GREEK_FONTS,
        &font8x8::BLOCK_FONTS,
        &font8x8::BOX_FONTS,
        &font8x8::MISC_FONTS,
        &font8x8::SGA_FONTS,
    ];
    fonts.iter().find_map(|f| f.get(c)).unwrap_or([0; 8])
}

/// The lit pixels of `text` in the 8×8 font, one row per pixel row, with
/// the rows and columns that are blank for every glyph we draw trimmed off
/// the bottom and the right (so the scale chosen does not depend on which
/// digits are showing). Read straight from the font: this runs every
/// second for the countdown.
fn bitmap(text: &str) -> Vec<Vec<bool>> {
    let glyphs: Vec<[u8; 8]> = text.chars().map(glyph).collect();
    let mut px: Vec<Vec<bool>> = (0..8)
        .map(|y| {
            glyphs
                .iter()
                .flat_map(|g| (0..8).map(move |x| g[y] & (1 << x) != 0))
                .collect()
        })
        .collect();
    // The font leaves the last row and column of digits, ':' and '+' blank.
    if px.last().is_some_and(|r| r.iter().all(|&p| !p)) {
        px.pop();
    }
    if !px.is_empty() && px.iter().all(|r| r.last() == Some(&false)) {
        for r in &mut px {
            r.pop();
        }
    }
    px
}

/// Width and height of [`bitmap`]`(text)`, for a template that only sizes;
/// the countdown's two templates are worked out once.
fn shape_of(text: &str) -> (usize, usize) {
    use std::sync::OnceLock;
    static SHORT: OnceLock<(usize, usize)> = OnceLock::new();
    static LONG: OnceLock<(usize, usize)> = OnceLock::new();
    let work = || {
        let px = bitmap(text);
        (px.first().map_or(0, Vec::len), px.len())
    };
    match text {
        "00:00" => *SHORT.get_or_init(work),
        "0:00:00" => *LONG.get_or_init(work),
        _ => work(),
    }
}

/// The scale `(kx, hy)` at which a `w`×`h` pixel bitmap fills `area`: each
/// pixel becomes `kx` columns and `hy` half-rows. Pixels stay between
/// square (`hy == kx`) and twice as tall as wide (`hy == 2·kx`, the look of
/// [`PixelSize::Full`]). None if even one column per pixel does not fit.
pub fn scale(w: usize, h: usize, area: Rect) -> Option<(u16, u16)> {
    if w == 0 || h == 0 {
        return None;
    }
    let kx_max = area.width as usize / w;
    let hy_max = 2 * area.height as usize / h;
    let kx = kx_max.min(hy_max);
    let mut hy = hy_max.min(2 * kx);
    // At small scales an odd number of half-rows shows as ragged ▀/▄
    // edges; one half-row less looks cleaner.
    if hy % 2 == 1 && (3..6).contains(&hy) {
        hy -= 1;
    }
    (kx >= 1).then_some((kx as u16, hy as u16))
}

/// Draws `text` (digits) as large as `area` allows, centred: the 8×8 font
/// scaled up by whole columns and half-rows (█ ▀ ▄ only), else
/// [`PixelSize::Quadrant`], else one line.
pub fn render_max(text: &str, area: Rect, buf: &mut Buffer, style: Style) {
    if !render_scaled(text, area, buf, style) {
        render(text, area, buf, style);
    }
}

/// Draws a countdown (`9:50`, `29:52`, `+1:14`, `1:02:03`) at one size
/// for the whole panel: the size at which the longest text the panel
/// normally shows fits: `00:00` (so `9:50`, `29:52` and `+1:14` are drawn
/// alike), or `0:00:00` when `long` (a session or slot of an hour or
/// more). Only a text longer than that (ten minutes over: `+10:00`) is
/// drawn smaller, to fit. Quadrants, then one line, only if even that size
/// does not fit.
pub fn render_countdown(text: &str, long: bool, area: Rect, buf: &mut Buffer, style: Style) {
    let base = if long { "0:00:00" } else { "00:00" };
    let n = text.chars().count();
    let template = if n > base.chars().count() { text } else { base };
    let (w, h) = shape_of(template);
    match scale(w, h, area) {
        Some((kx, hy)) => {
            // The blank cells get the digits' style too (a space looks the
            // same either way): the terminal is then sent only the cells
            // that change each second, with no style switch between lit and
            // blank ones, which more than halves an idle screen's bytes.
            buf.set_style(area, style);
            let px = bitmap(text);
            draw_bitmap(&px, kx, hy, area, buf, style);
        }
        None => render(text, area, buf, style),
    }
}

/// The rows [`render_countdown`] (not `long`) draws its digits in, in an
/// area `width` columns wide and at most `max_rows` tall; `max_rows` if
/// only quadrants or a line would fit.
pub fn countdown_rows(width: u16, max_rows: u16) -> u16 {
    let (w, h) = shape_of("00:00");
    match scale(w, h, Rect::new(0, 0, width, max_rows)) {
        Some((_, hy)) => (h as u16 * hy).div_ceil(2),
        None => max_rows,
    }
}

/// Draws words as large as `area` allows, centred, else as one line:
/// letters drawn in quadrants are too hard to read to be worth it.
pub fn render_words(text: &str, area: Rect, buf: &mut Buffer, style: Style) {
    if !render_scaled(text, area, buf, style) {
        let top = area.y + area.height.saturating_sub(1) / 2;
        Paragraph::new(Line::styled(text.to_string(), style))
            .alignment(Alignment::Center)
            .render(Rect::new(area.x, top, area.width, 1.min(area.height)), buf);
    }
}

/// The scaled font, if it fits at one column per pixel or more.
fn render_scaled(text: &str, area: Rect, buf: &mut Buffer, style: Style) -> bool {
    let px = bitmap(text);
    let (h, w) = (px.len(), px.first().map_or(0, Vec::len));
    let Some((kx, hy)) = scale(w, h, area) else {
        return false;
    };
    draw_bitmap(&px, kx, hy, area, buf, style);
    true
}

/// Whether the 8×8 font has a glyph for every character: Basic Latin and
/// Latin-1 (é, ñ, ¿), which covers the interpreted languages' words; not
/// CJK or emoji, which are then shown as plain text.
pub fn has_glyphs(text: &str) -> bool {
    text.chars()
        .all(|c| matches!(c, ' '..='~' | '\u{A0}'..='\u{FF}'))
}

/// Words wrapped into lines of big letters at one scale: each pixel of the
/// 8×8 font is `kx` columns and `hy` half-rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordFit {
    pub lines: Vec<String>,
    pub kx: u16,
    pub hy: u16,
}

impl WordFit {
    /// Rows one line of letters takes.
    pub fn line_rows(&self) -> u16 {
        (8 * self.hy).div_ceil(2)
    }

    /// Rows all the lines take.
    pub fn rows(&self) -> u16 {
        self.lines.len() as u16 * self.line_rows()
    }
}

/// The largest scale at which `text`, wrapped at spaces into lines of
/// `cols` columns, takes at most `max_rows(kx)` rows, no word cut. None if
/// the font lacks a character or even 8 columns × 4 rows a letter (the
/// smallest size letters stay readable at) does not fit.
pub fn fit_words(text: &str, cols: u16, max_rows: impl Fn(u16) -> u16) -> Option<WordFit> {
    if !has_glyphs(text) || text.trim().is_empty() {
        return None;
    }
    for kx in (1..=8u16).rev() {
        let per_line = (cols / (8 * kx)) as usize;
        if per_line == 0
            || text
                .split_whitespace()
                .any(|w| w.chars().count() > per_line)
        {
            continue;
        }
        let lines = showcall_core::text::wrap(text, per_line);
        for hy in (kx..=2 * kx).rev() {
            let fit = WordFit {
                lines: lines.clone(),
                kx,
                hy,
            };
            if fit.rows() <= max_rows(kx) {
                return Some(fit);
            }
        }
    }
    None
}

/// Draws `fit`, each line centred, the block centred in `area`.
pub fn render_fit(fit: &WordFit, area: Rect, buf: &mut Buffer, style: Style) {
    let lh = fit.line_rows();
    let top = area.y + area.height.saturating_sub(fit.rows()) / 2;
    for (i, line) in fit.lines.iter().enumerate() {
        let y = top + i as u16 * lh;
        if y + lh > area.y + area.height {
            break;
        }
        let px = bitmap(line);
        let w = px.first().map_or(0, Vec::len) as u16;
        if w * fit.kx > area.width {
            continue;
        }
        draw_bitmap(
            &px,
            fit.kx,
            fit.hy,
            Rect::new(area.x, y, area.width, lh),
            buf,
            style,
        );
    }
}

/// Paints a bitmap at scale `(kx, hy)`, centred in `area` (which it must fit).
fn draw_bitmap(px: &[Vec<bool>], kx: u16, hy: u16, area: Rect, buf: &mut Buffer, style: Style) {
    let (h, w) = (px.len(), px.first().map_or(0, Vec::len));
    let cols = w as u16 * kx;
    let half_rows = h as u16 * hy;
    let rows = half_rows.div_ceil(2);
    let x0 = area.x + (area.width - cols) / 2;
    let y0 = area.y + (area.height - rows) / 2;
    let lit = |half: u16, col: u16| {
        let (py, pxl) = ((half / hy) as usize, (col / kx) as usize);
        half < half_rows && px[py][pxl]
    };
    for cy in 0..rows {
        for cx in 0..cols {
            let symbol = match (lit(2 * cy, cx), lit(2 * cy + 1, cx)) {
                (true, true) => "█",
                (true, false) => "▀",
                (false, true) => "▄",
                (false, false) => continue,
            };
            buf[(x0 + cx, y0 + cy)].set_symbol(symbol).set_style(style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three fixed sizes of '1', worked out from its 8×8 glyph in
    /// font8x8 (rows 0x0C, 0x0E, 0x0C, 0x0C, 0x0C, 0x0C, 0x3F, 0x00; bit i
    /// is the i-th pixel from the left): pixels 2–3 lit in every row but
    /// the second (1–3), the seventh (0–5) and the last (none).
    #[test]
    fn fixed_sizes_read_the_font_pixel_for_pixel() {
        let draw = |w: u16, h: u16| {
            let area = Rect::new(0, 0, w, h);
            let mut buf = Buffer::empty(area);
            render("1", area, &mut buf, Style::default());
            (0..h)
                .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
                .collect::<Vec<_>>()
        };
        // 2×2 pixels a cell: rows 0–1 give ▗ (only the bottom-right of
        // columns 0–1) then █ (columns 2–3 all lit); rows 6–7 give ▀ for
        // columns 0–5 (top row only).
        assert_eq!(draw(4, 4), ["▗█  ", " █  ", " █  ", "▀▀▀ "]);
        // Two pixel rows a cell: rows 0–1 give ▄ at column 1 (lit in row 1
        // only) and █ at 2–3; rows 6–7 give ▀ for columns 0–5.
        assert_eq!(draw(8, 4), [" ▄██    ", "  ██    ", "  ██    ", "▀▀▀▀▀▀  "]);
        // One pixel a cell: the glyph itself.
        assert_eq!(
            draw(8, 8),
            [
                "  ██    ",
                " ███    ",
                "  ██    ",
                "  ██    ",
                "  ██    ",
                "  ██    ",
                "██████  ",
                "        "
            ]
        );
    }
}
