//! The one rule for what a person's text may hold, on every path (forms, REST, CSV import,
//! sync) and for both databases.
//!
//! PostgreSQL cannot store a NUL character in text at all (SQLite can), and other control
//! characters are invisible on screen, break CSV exports and terminals, and are never typed on
//! purpose: they come from pasting out of other apps or from broken clients. So they are
//! refused with a reason, the same way everywhere, instead of being stored on one database and
//! failing on the other.
//!
//! Allowed: newline and tab (multi-line notes, pasted lists) and carriage return. A browser
//! sends every line break of a `<textarea>` as CR LF (the HTML form-submission rules), and
//! CSV files from Windows carry CR LF inside quoted cells, so refusing CR would refuse every
//! multi-line note typed in a form or imported from a spreadsheet. CR is harmless to both
//! databases and to display. One rule for every field, single- or multi-line, keeps it
//! predictable; whether a line break belongs in a field is each field's own concern.

/// Refuses text holding a control character other than newline, tab and carriage return.
/// `what` names the field for the message ("The note", "Address").
pub fn check_text(what: &str, text: &str) -> Result<(), String> {
    match text
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        None => Ok(()),
        Some((at, c)) => Err(format!(
            "{what} contains an invisible control character ({}) at character {}; \
             delete it (it usually comes from pasting out of another app) and try again.",
            describe(c),
            at + 1
        )),
    }
}

/// A control character as a person can look it up: "NUL, U+0000".
fn describe(c: char) -> String {
    let code = format!("U+{:04X}", c as u32);
    match c {
        '\0' => format!("NUL, {code}"),
        '\u{1b}' => format!("escape, {code}"),
        '\u{7f}' => format!("delete, {code}"),
        _ => code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_except_line_breaks_and_tabs() {
        for ok in [
            "",
            "Gate code 4411",
            "Line one\nLine two",
            "Line one\r\nLine two",
            "a\tb",
            "Café — naïve 日本語 🐜",
            // Format characters are not control characters: a zero-width joiner is part of
            // many emoji and of some scripts.
            "👩\u{200d}🔧",
        ] {
            assert_eq!(check_text("The note", ok), Ok(()), "{ok:?}");
        }
        let cases = [
            ("a\0b", "NUL, U+0000", 2),
            ("\u{1b}[31mred", "escape, U+001B", 1),
            ("abc\u{7f}", "delete, U+007F", 4),
            ("x\u{85}", "U+0085", 2),
            ("\u{8}", "U+0008", 1),
        ];
        for (text, name, at) in cases {
            assert_eq!(
                check_text("The note", text),
                Err(format!(
                    "The note contains an invisible control character ({name}) at character {at}; \
                     delete it (it usually comes from pasting out of another app) and try again."
                )),
                "{text:?}"
            );
        }
    }
}
