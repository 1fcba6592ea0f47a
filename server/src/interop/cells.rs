//! Cells that a spreadsheet would run as a formula.
//!
//! A cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return) is a formula to
//! Excel and LibreOffice, so a customer name like `=HYPERLINK(...)` could run in the office's
//! spreadsheet. Exports put a `'` in front (the spreadsheet shows the text as typed), and the
//! import takes it off again, so a round trip changes nothing.

use std::borrow::Cow;

fn starts_like_a_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

pub fn protect(text: &str) -> Cow<'_, str> {
    if starts_like_a_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

pub fn unprotect(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_like_a_formula(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_on_the_way_out_and_restored_on_the_way_in() {
        let cases = [
            ("Dorothy's Gifts", "Dorothy's Gifts"),
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+44 161 555 0100", "'+44 161 555 0100"),
            ("- no dogs", "'- no dogs"),
            ("@home", "'@home"),
            ("'quoted'", "'quoted'"),
            ("", ""),
        ];
        for (text, cell) in cases {
            assert_eq!(protect(text), cell, "{text}");
            assert_eq!(unprotect(cell), text, "{cell}");
        }
    }
}
