//! Big digits for countdowns, as large as the area allows, from the block
//! characters every common terminal font has (full blocks, half blocks and
//! quadrants; never the newer sextant or octant symbols).

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};
use tui_big_text::{BigText, PixelSize};

/// Cells one glyph takes at each size we use: (columns, rows).
fn cell(size: PixelSize) -> (u16, u16) {
    match size {
        PixelSize::Full => (8, 8),
        PixelSize::HalfHeight => (8, 4),
        _ => (4, 4),
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
            BigText::builder()
                .pixel_size(size)
                .style(style)
                .alignment(Alignment::Center)
                .lines(vec![Line::raw(text.to_string())])
                .build()
                .render(inner, buf);
        }
        None => {
            let top = area.y + area.height.saturating_sub(1) / 2;
            Paragraph::new(Line::styled(text.to_string(), style))
                .alignment(Alignment::Center)
                .render(Rect::new(area.x, top, area.width, 1.min(area.height)), buf);
        }
    }
}
