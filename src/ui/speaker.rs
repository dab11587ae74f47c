//! The speaker-facing screen. (placeholder)
