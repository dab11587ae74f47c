//! What reaches the terminal, and what it costs: the painter keeps the
//! cells the terminal shows, and each frame redraws and sends only the
//! pieces of panels whose value changed (`ui::canvas`), comparing only
//! those cells. An idle operator screen changes a clock, a countdown and a
//! line or two a second; the schedule and the journal are neither drawn
//! nor compared again until they change.
//!
//! Anything drawn cell by cell over the panels (a dialog, the help, a whole
//! screen that is not made of panels) is a *cover*: while there is one, and
//! on the frame after it goes, the whole screen is drawn and compared, as
//! ratatui's own `Terminal::draw` does. So is the first frame, and the
//! first after a resize or a change of layout.

use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;

use crate::ui::canvas::{Panel, Scene};

/// Puts scenes on a terminal: see the module's comment.
#[derive(Default)]
pub struct Painter {
    /// What the terminal shows.
    shown: Buffer,
    /// What is being drawn; equal to `shown` between frames.
    next: Buffer,
    /// The last frame's panels, if they are what `shown` holds (None: the
    /// next frame is drawn whole).
    last: Option<Vec<Panel>>,
}

impl Painter {
    pub fn new() -> Painter {
        Painter::default()
    }

    /// Draws `scene` on `backend`, a terminal of `area` (its whole
    /// screen, from the origin), sending only cells that differ from what
    /// it shows. Errors: the backend's (the terminal is gone); the next
    /// frame is then drawn whole.
    pub fn paint<B: Backend>(
        &mut self,
        backend: &mut B,
        area: Rect,
        scene: Scene,
    ) -> Result<(), B::Error> {
        let last = self.last.take();
        if area != self.shown.area {
            // A new size: the terminal's cells are unknown; start blank.
            backend.clear()?;
            self.shown = Buffer::empty(area);
            self.next = Buffer::empty(area);
        }
        let same_layout = last.as_ref().is_some_and(|old| {
            old.len() == scene.panels.len()
                && old.iter().zip(&scene.panels).all(|(a, b)| a.rect == b.rect)
        });
        match last {
            Some(old) if same_layout && scene.cover.is_none() => {
                let mut rects = Vec::new();
                for (new, old) in scene.panels.iter().zip(&old) {
                    rects.extend(new.redraw_changes(old, &mut self.next));
                }
                let mut updates = Vec::new();
                for r in rects {
                    changes(&mut self.shown, &self.next, r, &mut updates);
                }
                backend.draw(updates.iter().map(|(x, y, c)| (*x, *y, c)))?;
            }
            _ => {
                self.next.reset();
                scene.render(&mut self.next);
                backend.draw(self.shown.diff(&self.next).into_iter())?;
                self.shown.clone_from(&self.next);
            }
        }
        backend.flush()?;
        // A cover is drawn over the panels: the next frame must draw whole.
        if scene.cover.is_none() {
            self.last = Some(scene.panels);
        }
        Ok(())
    }
}

/// The cells of `rect` that differ between `shown` and `next`, appended
/// to `out`, and copied into `shown`. Narrow cells are compared one by
/// one; a rectangle with a wide character (or a cell marked to be skipped)
/// goes through ratatui's own comparison, which knows what a wide
/// character covers.
fn changes(shown: &mut Buffer, next: &Buffer, rect: Rect, out: &mut Vec<(u16, u16, Cell)>) {
    use ratatui::buffer::CellDiffOption;
    use unicode_width::UnicodeWidthStr;
    #[allow(deprecated)] // a cell marked the old way is skipped all the same
    let plain = |c: &Cell| {
        !c.skip && matches!(c.diff_option, CellDiffOption::None) && c.symbol().width() <= 1
    };
    let positions = || rect.rows().flat_map(|r| r.columns());
    if positions().all(|p| plain(&next[p]) && plain(&shown[p])) {
        for p in positions() {
            if next[p] != shown[p] {
                out.push((p.x, p.y, next[p].clone()));
                shown[p].clone_from(&next[p]);
            }
        }
        return;
    }
    let part = |buf: &Buffer| {
        let mut b = Buffer::empty(rect);
        for p in positions() {
            b[p].clone_from(&buf[p]);
        }
        b
    };
    let (before, after) = (part(shown), part(next));
    out.extend(
        before
            .diff(&after)
            .into_iter()
            .map(|(x, y, c)| (x, y, c.clone())),
    );
    for p in positions() {
        shown[p].clone_from(&next[p]);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::backend::TestBackend;
    use ratatui::text::Line;
    use ratatui::widgets::{Block, Widget};

    use super::*;
    use crate::ui::canvas::Panel;

    /// Two panels: a bordered one with a title line and a counter, and a
    /// bare footer.
    fn scene(title: &str, count: u32, foot: &str) -> Scene<'static> {
        let mut a = Panel::new(
            Rect::new(0, 0, 20, 4),
            Some(Block::bordered().title(" NOW ")),
        );
        let inner = a.inner();
        a.put(Rect { height: 1, ..inner }, Line::raw(title.to_string()));
        a.put(
            Rect {
                y: inner.y + 1,
                height: 1,
                ..inner
            },
            Line::raw(count.to_string()),
        );
        let mut b = Panel::new(Rect::new(0, 4, 20, 1), None);
        b.put(Rect::new(0, 4, 20, 1), Line::raw(foot.to_string()));
        Scene {
            panels: vec![a, b],
            cover: None,
        }
    }

    /// The scene drawn from scratch.
    fn whole(s: &Scene) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 5));
        s.render(&mut buf);
        buf
    }

    /// Frame by frame, the terminal shows exactly what a whole redraw
    /// would: after a piece changes, gets shorter, a cover comes and goes.
    #[test]
    fn the_terminal_always_shows_the_whole_scene() {
        let mut term = TestBackend::new(20, 5);
        let mut p = Painter::new();
        let frames: Vec<Box<dyn Fn() -> Scene<'static>>> = vec![
            Box::new(|| scene("Welcome Remarks", 120, "Space GO")),
            Box::new(|| scene("Welcome Remarks", 119, "Space GO")),
            Box::new(|| scene("Panel", 9, "Space GO")),
            Box::new(|| {
                let mut s = scene("Panel", 8, "q quit");
                s.cover = Some(Box::new(|buf: &mut Buffer| {
                    Line::raw("DIALOG").render(Rect::new(2, 2, 8, 1), buf);
                }));
                s
            }),
            Box::new(|| scene("Panel", 7, "q quit")),
            Box::new(|| scene("Panel", 6, "q quit")),
        ];
        for (i, f) in frames.iter().enumerate() {
            p.paint(&mut term, Rect::new(0, 0, 20, 5), f()).unwrap();
            assert_eq!(term.buffer(), &whole(&f()), "frame {i}");
        }
    }

    /// An idle second sends only the cells that changed: the counter's
    /// last digit, not the title nor the footer.
    #[test]
    fn an_unchanged_piece_is_neither_drawn_nor_sent() {
        /// A backend that counts the cells it is sent.
        struct Count(TestBackend, usize);
        impl Backend for Count {
            type Error = core::convert::Infallible;
            fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
            where
                I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
            {
                let v: Vec<_> = content.collect();
                self.1 += v.len();
                self.0.draw(v.into_iter())
            }
            fn hide_cursor(&mut self) -> Result<(), Self::Error> {
                self.0.hide_cursor()
            }
            fn show_cursor(&mut self) -> Result<(), Self::Error> {
                self.0.show_cursor()
            }
            fn get_cursor_position(&mut self) -> Result<ratatui::layout::Position, Self::Error> {
                self.0.get_cursor_position()
            }
            fn set_cursor_position<P: Into<ratatui::layout::Position>>(
                &mut self,
                p: P,
            ) -> Result<(), Self::Error> {
                self.0.set_cursor_position(p)
            }
            fn clear(&mut self) -> Result<(), Self::Error> {
                self.0.clear()
            }
            fn clear_region(&mut self, t: ratatui::backend::ClearType) -> Result<(), Self::Error> {
                self.0.clear_region(t)
            }
            fn size(&self) -> Result<ratatui::layout::Size, Self::Error> {
                self.0.size()
            }
            fn window_size(&mut self) -> Result<ratatui::backend::WindowSize, Self::Error> {
                self.0.window_size()
            }
            fn flush(&mut self) -> Result<(), Self::Error> {
                self.0.flush()
            }
        }
        let mut term = Count(TestBackend::new(20, 5), 0);
        let mut p = Painter::new();
        p.paint(
            &mut term,
            Rect::new(0, 0, 20, 5),
            scene("Welcome Remarks", 120, "Space GO"),
        )
        .unwrap();
        term.1 = 0;
        p.paint(
            &mut term,
            Rect::new(0, 0, 20, 5),
            scene("Welcome Remarks", 121, "Space GO"),
        )
        .unwrap();
        // "120" → "121": one cell.
        assert_eq!(term.1, 1);
        term.1 = 0;
        p.paint(
            &mut term,
            Rect::new(0, 0, 20, 5),
            scene("Welcome Remarks", 121, "Space GO"),
        )
        .unwrap();
        assert_eq!(term.1, 0);
    }
}
