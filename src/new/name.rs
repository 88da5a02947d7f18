//! File names for new items: the slug of a title, and the plural of a kind's name.

/// The longest slug in a file name, in bytes.
const SLUG_MAX: usize = 50;

/// The English plural of a kind's name: `story` → `stories`, `goal` → `goals`.
pub(super) fn plural(word: &str) -> String {
    let consonant_y = word.len() > 1
        && word.ends_with('y')
        && !word[..word.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if consonant_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if word.ends_with(['s', 'x', 'z']) || word.ends_with("ch") || word.ends_with("sh") {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// A file-name slug: lowercase ASCII words joined by `-`, accents folded, at most 50 bytes, cut at
/// a word boundary.
pub fn slug(title: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in title.chars() {
        let folded = fold(c);
        if folded.is_empty() {
            if c == '\'' || c == '’' {
                continue; // "don't" → "dont"
            }
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        } else {
            word.push_str(folded);
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let mut out = String::new();
    for w in words {
        let extra = if out.is_empty() { w.len() } else { w.len() + 1 };
        if out.len() + extra > SLUG_MAX {
            if out.is_empty() {
                out.push_str(&w[..SLUG_MAX]);
            }
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w);
    }
    out
}

/// A character as lowercase ASCII letters or digits; empty for anything else.
fn fold(c: char) -> &'static str {
    const ASCII: &str = "0123456789abcdefghijklmnopqrstuvwxyz";
    if c.is_ascii_alphanumeric() {
        let lower = c.to_ascii_lowercase() as u8;
        let i = ASCII.bytes().position(|b| b == lower).unwrap_or(0);
        return &ASCII[i..i + 1];
    }
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'đ' | 'ð' | 'Ď' | 'Đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ę' | 'Ě' => {
            "e"
        }
        'ğ' | 'Ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'İ' => "i",
        'ł' | 'Ł' => "l",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ő' => {
            "o"
        }
        'œ' | 'Œ' => "oe",
        'ř' | 'Ř' => "r",
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'Ť' | 'Ţ' => "t",
        'þ' | 'Þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ů' | 'Ű' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Export to CSV"), "export-to-csv");
        assert_eq!(slug("  Don't   lose work!  "), "dont-lose-work");
        assert_eq!(slug("Café crème brûlée"), "cafe-creme-brulee");
        assert_eq!(slug("日本語"), "");
        assert_eq!(slug("S3: 2× faster uploads"), "s3-2-faster-uploads");
        let long = slug("Automate recurring tasks so that nothing slips through the cracks ever");
        assert_eq!(long, "automate-recurring-tasks-so-that-nothing-slips");
        assert!(long.len() <= SLUG_MAX);
        assert_eq!(slug(&"x".repeat(80)).len(), SLUG_MAX);
    }

    #[test]
    fn plurals() {
        assert_eq!(plural("story"), "stories");
        assert_eq!(plural("goal"), "goals");
        assert_eq!(plural("epic"), "epics");
        assert_eq!(plural("key"), "keys");
        assert_eq!(plural("box"), "boxes");
    }
}
