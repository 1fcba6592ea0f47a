//! User text in the one HTML context Leptos does not escape for us.
//!
//! tachys (Leptos's renderer) writes the children of `<textarea>` on the server without
//! escaping them: it lists `textarea` with `script` and `style` as raw-text elements. But a
//! textarea is *escapable* raw text in HTML: `</textarea>` closes it, and character references
//! inside it are decoded. So user text placed there as is could close the textarea and become
//! markup (a stored script), while escaped text reaches the browser's field exactly as typed.
//! Every textarea with user text goes through [`textarea_text`]; the taint test
//! (`server/tests/api/taint.rs`) renders every page with hostile text to prove it.

/// The text to put inside a `<textarea>` as its initial value.
///
/// On the server it is escaped, because tachys will not. In the browser the text becomes a DOM
/// text node, which takes it as text, so it stays as typed (and matches what the server sent
/// once the parser has decoded it, so hydration sees the same value).
pub fn textarea_text(text: impl Into<String>) -> String {
    let text = text.into();
    #[cfg(feature = "ssr")]
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    text
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::textarea_text;

    #[test]
    fn text_cannot_close_the_textarea_on_the_server() {
        assert_eq!(
            textarea_text("</textarea><img src=x onerror=alert(1)> & co"),
            "&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt; &amp; co"
        );
    }

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(
            textarea_text("Gate code 1234\nDog in yard"),
            "Gate code 1234\nDog in yard"
        );
    }
}
