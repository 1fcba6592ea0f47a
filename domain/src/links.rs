//! Links that hand an address or phone number to the phone's own apps.

/// A maps search for the address, which every phone opens in its maps app.
pub fn maps_url(address: &str) -> String {
    format!(
        "https://www.google.com/maps/search/?api=1&query={}",
        percent_encode(address)
    )
}

/// A `tel:` link with only the characters a dialler understands.
pub fn tel_url(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_safe_to_put_in_an_href() {
        assert_eq!(
            maps_url("12 Elm St, Springfield & Co"),
            "https://www.google.com/maps/search/?api=1&query=12%20Elm%20St%2C%20Springfield%20%26%20Co"
        );
        assert_eq!(tel_url("+1 (555) 010-2000"), "tel:+15550102000");
        assert_eq!(tel_url("javascript:alert(1)"), "tel:1");
    }
}
