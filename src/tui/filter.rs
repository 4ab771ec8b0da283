//! The `/` filter: plain words match fuzzily within any one of a row's visible columns
//! (nucleo), and `field:value` tokens match one field (`state:failed`, `driver:anna`,
//! `postcode:GU3`).
//! Tokens combine with AND; a leading `!` negates a token.
//!
//! Speed: rows and filter text are compared in one folded form (lower case, accents off,
//! en dashes as hyphens) computed for rows once at load, so nearly every row is plain ASCII
//! and nucleo matches it without copying. Only match/no-match matters (the table keeps its
//! sort order), so fuzzy words use nucleo's linear greedy matcher, not the scoring one.

use nucleo_matcher::chars::normalize;
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Matcher, Utf32Str};
use serde_json::Value;

use super::resource::{CELL_SEP, FieldSource, Resource};

/// One `field:value` token.
#[derive(Debug, Clone)]
struct FieldTerm {
    name: String,
    source: FieldSource,
    needle: String,
    negate: bool,
}

/// Whether a token is a field token or a plain word.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TokenKind {
    Plain,
    Field(String),
}

/// A parsed filter line.
#[derive(Debug, Default)]
pub struct Filter {
    text: String,
    plain: Option<Pattern>,
    fields: Vec<FieldTerm>,
    tokens: Vec<(TokenKind, String)>,
}

impl Filter {
    /// Parses `text` against the filter fields of `resource`. Unknown `name:` prefixes are
    /// plain words (so `10:30` still matches a time).
    pub fn parse(text: &str, resource: &dyn Resource) -> Filter {
        let mut fields = Vec::new();
        let mut plain = Vec::new();
        let mut tokens = Vec::new();
        let folded = fold(text);
        for tok in folded.split_whitespace() {
            let (negate, body) = match tok.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, tok),
            };
            let field = body.split_once(':').and_then(|(name, value)| {
                resource
                    .filter_fields()
                    .iter()
                    .find(|f| f.name == name)
                    .map(|f| (f, value))
            });
            match field {
                Some((f, value)) => {
                    tokens.push((TokenKind::Field(f.name.to_string()), tok.to_string()));
                    if !value.is_empty() {
                        fields.push(FieldTerm {
                            name: f.name.to_string(),
                            source: f.source,
                            needle: value.to_string(),
                            negate,
                        });
                    }
                }
                None => {
                    tokens.push((TokenKind::Plain, tok.to_string()));
                    plain.push(tok);
                }
            }
        }
        let plain = (!plain.is_empty()).then(|| {
            Pattern::parse(
                &plain.join(" "),
                CaseMatching::Respect,
                Normalization::Smart,
            )
        });
        Filter {
            text: text.to_string(),
            plain,
            fields,
            tokens,
        }
    }

    /// The text as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether every row passes.
    pub fn is_empty(&self) -> bool {
        self.plain.as_ref().is_none_or(|p| p.atoms.is_empty()) && self.fields.is_empty()
    }

    /// Names of the field tokens in use, for the table title.
    pub fn field_names(&self) -> Vec<&str> {
        self.fields.iter().map(|f| f.name.as_str()).collect()
    }

    /// Whether every row passing `self` also passes `previous`, so that only the rows
    /// `previous` let through need checking (typing one more character).
    pub fn refines(&self, previous: &Filter) -> bool {
        let negation = |f: &Filter| {
            f.tokens
                .iter()
                .any(|(_, t)| t.starts_with('!') || t.contains('\\'))
        };
        if negation(self) || negation(previous) || previous.tokens.len() > self.tokens.len() {
            return false;
        }
        let n = previous.tokens.len();
        previous
            .tokens
            .iter()
            .zip(&self.tokens)
            .enumerate()
            .all(|(i, ((k0, t0), (k1, t1)))| {
                k0 == k1
                    && if i + 1 == n {
                        t1.starts_with(t0.as_str())
                    } else {
                        t0 == t1
                    }
            })
    }

    /// Whether some term reads the item itself (a field that is not a column).
    pub fn reads_items(&self) -> bool {
        self.fields
            .iter()
            .any(|f| matches!(f.source, FieldSource::Value(_)))
    }

    /// Whether a row passes. `hay` is the row's [`fold`]ed text (cells joined by
    /// [`CELL_SEP`]); `item` is read only for fields that are not columns.
    pub fn matches(&self, hay: &str, item: &Value, m: &mut Matcher, buf: &mut Vec<char>) -> bool {
        for f in &self.fields {
            let hit = match f.source {
                FieldSource::Column(i) => hay
                    .split(CELL_SEP)
                    .nth(i)
                    .is_some_and(|cell| cell.contains(f.needle.as_str())),
                FieldSource::Value(read) => fold(&read(item)).contains(f.needle.as_str()),
            };
            if hit == f.negate {
                return false;
            }
        }
        let Some(p) = &self.plain else {
            return true;
        };
        p.atoms.iter().all(|atom| {
            let needle = atom.needle_text();
            let hit = match atom.kind {
                AtomKind::Substring => m.substring_match(Utf32Str::new(hay, buf), needle).is_some(),
                AtomKind::Prefix => m.prefix_match(Utf32Str::new(hay, buf), needle).is_some(),
                AtomKind::Postfix => m.postfix_match(Utf32Str::new(hay, buf), needle).is_some(),
                AtomKind::Exact => m.exact_match(Utf32Str::new(hay, buf), needle).is_some(),
                // Within one cell: letters scattered over a row's columns match nearly
                // any row ("SO-104300" would pick its characters out of the reference,
                // the postcode and the times of half the day's tasks).
                _ => fuzzy_in_a_cell(hay, needle, m, buf),
            };
            hit != atom.negative
        })
    }

    /// Field names starting with the last word of `text`, completed as `name:`.
    pub fn completions(text: &str, resource: &dyn Resource) -> Vec<String> {
        let (head, last) = match text.rfind(char::is_whitespace) {
            Some(i) => text.split_at(i + 1),
            None => ("", text),
        };
        let (neg, word) = match last.strip_prefix('!') {
            Some(w) => ("!", w),
            None => ("", last),
        };
        if word.contains(':') {
            return Vec::new();
        }
        let word = word.to_lowercase();
        let mut out: Vec<String> = resource
            .filter_fields()
            .iter()
            .filter(|f| f.name.starts_with(&word))
            .map(|f| format!("{head}{neg}{}:", f.name))
            .collect();
        out.dedup();
        out
    }
}

/// Whether `needle` matches fuzzily within one cell of `hay`. Plain ASCII (nearly every row
/// and filter) is one pass over the bytes: the needle's characters in order, starting over
/// at each cell boundary; anything else goes through nucleo cell by cell.
fn fuzzy_in_a_cell(hay: &str, needle: Utf32Str<'_>, m: &mut Matcher, buf: &mut Vec<char>) -> bool {
    if let (true, Utf32Str::Ascii(want)) = (hay.is_ascii(), needle) {
        let sep = CELL_SEP as u8;
        let mut at = 0;
        for &b in hay.as_bytes() {
            if b == sep {
                at = 0;
            } else if want.get(at) == Some(&b) {
                at += 1;
                if at == want.len() {
                    return true;
                }
            }
        }
        return want.is_empty();
    }
    hay.split(CELL_SEP).any(|cell| {
        m.fuzzy_match_greedy(Utf32Str::new(cell, buf), needle)
            .is_some()
    })
}

/// A fresh matcher for one filtering pass; both sides are already folded.
pub fn matcher() -> Matcher {
    let mut m = Matcher::new(nucleo_matcher::Config::DEFAULT);
    m.config.ignore_case = false;
    m.config.normalize = false;
    m
}

/// The form rows and filter text are compared in: lower case, accents folded (`é` → `e`),
/// dashes as hyphens.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`] appending to `out`.
pub fn fold_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for l in c.to_lowercase() {
            out.push(match l {
                '–' | '—' => '-',
                l => normalize(l),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::paths::Collection;
    use crate::tui::resource::resource;
    use serde_json::json;

    fn hay(cells: &[&str]) -> String {
        fold(&cells.join(&CELL_SEP.to_string()))
    }

    fn pass(filter: &str, cells: &[&str], item: &Value) -> bool {
        let f = Filter::parse(filter, resource(Collection::Tasks));
        f.matches(&hay(cells), item, &mut matcher(), &mut Vec::new())
    }

    const ROW: [&str; 9] = [
        "ORD-1",
        "T-1",
        "Failed",
        "2",
        "Acme Ltd",
        "GU3 1AA",
        "08:00–10:00",
        "Anna Berg",
        "09:05",
    ];

    #[test]
    fn plain_words_match_fuzzily_over_the_columns() {
        let item = json!({});
        assert!(pass("acme", &ROW, &item));
        assert!(pass("acm ltd", &ROW, &item));
        assert!(pass("ORD1", &ROW, &item), "fuzzy and case-insensitive");
        assert!(!pass("zebra", &ROW, &item));
        assert!(
            pass("10:00", &ROW, &item),
            "an unknown field name is a plain word"
        );
    }

    #[test]
    fn a_fuzzy_word_matches_within_one_column_not_across_them() {
        let item = json!({});
        let row = [
            "SO-104271",
            "T-2XWLWDHL",
            "Created",
            "2",
            "Charlie Sharma",
            "WC1H 5EB",
            "08:00–18:00",
            "Grace Johnson",
            "13:00",
        ];
        // Every character of SO-104300 is in this row in order, but spread over the
        // reference, the times and the ETA: not a match.
        assert!(!pass("SO-104300", &row, &item));
        assert!(pass("SO-104271", &row, &item));
        assert!(pass("so104271", &row, &item), "fuzzy inside the reference");
        // The same rule when a cell is not plain ASCII after folding.
        let mut other = row;
        other[7] = "Łukasz Nowak";
        assert!(pass("nowak", &other, &item));
        assert!(pass("łnowak", &other, &item));
        assert!(!pass("SO-104300", &other, &item));
    }

    #[test]
    fn field_tokens_match_their_column_and_combine() {
        let item = json!({"zones": [{"name": "North"}], "assignment": {"routeUID": "RT-7"}});
        assert!(pass("state:failed", &ROW, &item));
        assert!(pass("STATE:Fail driver:anna", &ROW, &item));
        assert!(!pass("state:failed driver:bob", &ROW, &item));
        assert!(pass("postcode:gu3", &ROW, &item));
        assert!(
            !pass("postcode:acme", &ROW, &item),
            "only the postcode column"
        );
        assert!(
            pass("zone:north route:rt-7", &ROW, &item),
            "fields read from the item"
        );
        assert!(!pass("zone:south", &ROW, &item));
        assert!(pass("!state:completed", &ROW, &item));
        assert!(!pass("!state:failed", &ROW, &item));
        assert!(
            pass("state: acme", &ROW, &item),
            "an empty value passes everything"
        );
    }

    #[test]
    fn typing_more_refines_but_negation_and_new_kinds_do_not() {
        let r = resource(Collection::Tasks);
        let p = |s: &str| Filter::parse(s, r);
        assert!(p("acme").refines(&p("acm")));
        assert!(p("acme state:f").refines(&p("acme")));
        assert!(p("state:fa").refines(&p("state:f")));
        assert!(p("acme").refines(&p("")));
        assert!(!p("acm").refines(&p("acme")));
        assert!(
            !p("state:f").refines(&p("state")),
            "plain word became a field"
        );
        assert!(!p("!acme").refines(&p("!acm")));
        assert!(!p("bcme").refines(&p("acme")));
    }

    #[test]
    fn completion_offers_field_names() {
        let r = resource(Collection::Tasks);
        assert_eq!(Filter::completions("acme st", r), ["acme state:"]);
        assert_eq!(Filter::completions("!po", r), ["!postcode:"]);
        assert!(Filter::completions("state:f", r).is_empty());
        assert!(Filter::completions("r", r).contains(&"ref:".to_string()));
    }

    #[test]
    fn accents_and_case_fold_on_both_sides() {
        let row = ["Chloé Dubois", "Café"];
        assert!(pass("chloe", &row, &json!({})));
        assert!(pass("CAFÉ", &row, &json!({})));
        assert_eq!(fold("Crème–Brûlée"), "creme-brulee");
    }

    #[test]
    fn empty_filters_pass_everything() {
        let r = resource(Collection::Tasks);
        assert!(Filter::parse("", r).is_empty());
        assert!(Filter::parse("  ", r).is_empty());
        assert!(Filter::parse("state:", r).is_empty());
        assert!(!Filter::parse("x", r).is_empty());
    }
}
