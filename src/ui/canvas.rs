//! Panels as values: what a panel draws, kept as a list of widget values
//! instead of cells, so that the painter (`crate::paint`) can tell what
//! changed since the last frame by comparing values, and draw and send only
//! that.
//!
//! A [`Panel`] is a rectangle, an optional bordered [`Block`], and pieces:
//! each a rectangle inside the block with one [`Piece`] drawn in it. Pieces
//! of a panel never overlap and never draw outside their rectangle, so a
//! piece whose value did not change still shows exactly what it showed;
//! one that did is cleared and drawn again on its own.

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, LineGauge, Paragraph, Table, Widget};

use crate::ui::big;

/// One thing drawn in a rectangle: a ratatui widget, or big text.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Line(Line<'static>),
    Span(Span<'static>),
    Paragraph(Paragraph<'static>),
    Table(Table<'static>),
    Gauge(LineGauge<'static>),
    /// A countdown in big digits ([`big::render_countdown`]).
    Countdown {
        text: String,
        long: bool,
        style: Style,
    },
    /// Words or digits as large as the rectangle allows ([`big::render_max`]).
    Large {
        text: String,
        style: Style,
    },
}

impl Piece {
    /// Draws the piece into `area` of `buf`, and nowhere else.
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        match self {
            Piece::Line(w) => w.render(area, buf),
            Piece::Span(w) => w.render(area, buf),
            Piece::Paragraph(w) => w.render(area, buf),
            Piece::Table(w) => Widget::render(w, area, buf),
            Piece::Gauge(w) => w.render(area, buf),
            Piece::Countdown { text, long, style } => {
                big::render_countdown(text, *long, area, buf, *style)
            }
            Piece::Large { text, style } => big::render_max(text, area, buf, *style),
        }
    }
}

impl From<Line<'static>> for Piece {
    fn from(w: Line<'static>) -> Self {
        Piece::Line(w)
    }
}

impl From<Span<'static>> for Piece {
    fn from(w: Span<'static>) -> Self {
        Piece::Span(w)
    }
}

impl From<Paragraph<'static>> for Piece {
    fn from(w: Paragraph<'static>) -> Self {
        Piece::Paragraph(w)
    }
}

impl From<Table<'static>> for Piece {
    fn from(w: Table<'static>) -> Self {
        Piece::Table(w)
    }
}

impl From<LineGauge<'static>> for Piece {
    fn from(w: LineGauge<'static>) -> Self {
        Piece::Gauge(w)
    }
}

/// A panel of the screen as values: see the module's comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// The whole panel, in screen cells.
    pub rect: Rect,
    /// Its border and titles, drawn first, outside every piece.
    pub block: Option<Block<'static>>,
    /// Disjoint rectangles inside the block, each with what it shows.
    pub pieces: Vec<(Rect, Piece)>,
}

impl Panel {
    /// An empty panel over `rect`, with `block` around it if any.
    pub fn new(rect: Rect, block: Option<Block<'static>>) -> Panel {
        Panel {
            rect,
            block,
            pieces: Vec::new(),
        }
    }

    /// Where the pieces go: inside the block, or the whole panel.
    pub fn inner(&self) -> Rect {
        match &self.block {
            Some(b) => b.inner(self.rect),
            None => self.rect,
        }
    }

    /// Adds `piece` in `rect`, clipped to the panel's inner area (an empty
    /// rectangle is dropped: it shows nothing).
    pub fn put(&mut self, rect: Rect, piece: impl Into<Piece>) {
        let rect = rect.intersection(self.inner());
        if rect.is_empty() {
            return;
        }
        debug_assert!(
            self.pieces.iter().all(|(r, _)| !r.intersects(rect)),
            "pieces of a panel overlap: {rect:?} in {:?}",
            self.pieces.iter().map(|(r, _)| r).collect::<Vec<_>>()
        );
        self.pieces.push((rect, piece.into()));
    }

    /// Draws the whole panel into `buf` (over whatever is there).
    pub fn render(&self, buf: &mut Buffer) {
        let rect = self.rect.intersection(buf.area);
        if let Some(b) = &self.block {
            b.render(rect, buf);
        }
        for (r, p) in &self.pieces {
            p.render(r.intersection(buf.area), buf);
        }
    }

    /// Rectangles whose cells may differ from what `old` drew there, each
    /// already redrawn in `buf` (which held `old`'s drawing): the whole
    /// panel when its place, block or list of rectangles changed, else
    /// each piece whose value changed. Empty when nothing changed.
    pub fn redraw_changes(&self, old: &Panel, buf: &mut Buffer) -> Vec<Rect> {
        let same_shape = self.rect == old.rect
            && self.block == old.block
            && self.pieces.len() == old.pieces.len()
            && self
                .pieces
                .iter()
                .zip(&old.pieces)
                .all(|((a, _), (b, _))| a == b);
        if !same_shape {
            clear(self.rect.intersection(buf.area), buf);
            self.render(buf);
            return vec![self.rect.union(old.rect).intersection(buf.area)];
        }
        let mut changed = Vec::new();
        for ((r, p), (_, q)) in self.pieces.iter().zip(&old.pieces) {
            if p != q {
                let r = r.intersection(buf.area);
                clear(r, buf);
                p.render(r, buf);
                changed.push(r);
            }
        }
        changed
    }
}

/// Resets the cells of `rect` to blank.
pub fn clear(rect: Rect, buf: &mut Buffer) {
    for y in rect.top()..rect.bottom() {
        for x in rect.left()..rect.right() {
            buf[(x, y)] = Cell::EMPTY;
        }
    }
}

/// A drawing over the panels, cell by cell.
pub type Cover<'a> = Box<dyn Fn(&mut Buffer) + 'a>;

/// One frame of a view: its panels, in drawing order, and what covers
/// them, if anything.
pub struct Scene<'a> {
    pub panels: Vec<Panel>,
    pub cover: Option<Cover<'a>>,
}

impl Scene<'_> {
    /// Draws the whole frame into `buf`, as the painter's full path does
    /// (and the tests and snapshots see it).
    pub fn render(&self, buf: &mut Buffer) {
        for p in &self.panels {
            p.render(buf);
        }
        if let Some(c) = &self.cover {
            c(buf);
        }
    }
}
