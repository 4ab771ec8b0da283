//! The `:` command line: `:tasks`, `:t`, `:routes`, `:date 2025-08-22`, `:q` … with
//! completion. Collection aliases come from [`Collection::parse`].

use crate::api::model::Date;
use crate::api::paths::Collection;

/// A command the user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandLine {
    /// Show a collection's tab.
    Go(Collection),
    /// Set the working date.
    Date(Date),
    /// Leave.
    Quit,
    /// Show the key help.
    Help,
    /// Reload the current list.
    Refresh,
    /// Open the Optimize screen.
    Optimize,
    /// Open the map.
    Map,
    /// Open the timeline.
    Timeline,
}

/// Words offered by completion, in the order they are offered.
const WORDS: &[&str] = &[
    "tasks",
    "routes",
    "drivers",
    "vehicles",
    "customers",
    "depots",
    "zones",
    "exceptions",
    "route-templates",
    "task-templates",
    "forms",
    "submissions",
    "date",
    "optimize",
    "map",
    "timeline",
    "help",
    "refresh",
    "quit",
];

/// Relative dates offered after `date `.
pub const DATE_WORDS: &[&str] = &["today", "tomorrow", "yesterday"];

/// Reads a command line (without the `:`); `today` anchors relative dates.
pub fn parse(line: &str, today: Date) -> Result<CommandLine, String> {
    let line = line.trim().trim_start_matches(':').trim();
    let (word, arg) = match line.split_once(char::is_whitespace) {
        Some((w, a)) => (w, a.trim()),
        None => (line, ""),
    };
    let lower = word.to_ascii_lowercase();
    match lower.as_str() {
        "" => Err("type a command, e.g. tasks, date 2025-08-22 or q".into()),
        "q" | "quit" | "q!" | "exit" => Ok(CommandLine::Quit),
        "help" | "h" | "?" => Ok(CommandLine::Help),
        "refresh" | "reload" => Ok(CommandLine::Refresh),
        "optimize" | "optimise" | "opt" => Ok(CommandLine::Optimize),
        "map" => Ok(CommandLine::Map),
        "timeline" => Ok(CommandLine::Timeline),
        "date" | "day" => {
            if arg.is_empty() {
                return Err("date needs a day: date 2025-08-22, today or tomorrow".into());
            }
            Date::parse_relative(arg, today)
                .map(CommandLine::Date)
                .map_err(|e| e.to_string())
        }
        _ => {
            let whole = if arg.is_empty() {
                word.to_string()
            } else {
                line.to_string()
            };
            Collection::parse(&whole)
                .map(CommandLine::Go)
                .ok_or_else(|| format!("unknown command {line:?}; Tab completes"))
        }
    }
}

/// Completions of a partly typed line, best first.
pub fn completions(line: &str) -> Vec<String> {
    let t = line.trim_start().to_ascii_lowercase();
    if let Some(rest) = t.strip_prefix("date ") {
        let rest = rest.trim_start();
        return DATE_WORDS
            .iter()
            .filter(|w| w.starts_with(rest) && **w != rest)
            .map(|w| format!("date {w}"))
            .collect();
    }
    if t.contains(char::is_whitespace) {
        return Vec::new();
    }
    WORDS
        .iter()
        .filter(|w| w.starts_with(&t))
        .map(|w| {
            if *w == "date" {
                "date ".to_string()
            } else {
                (*w).to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::from_ymd(2025, 8, 22).unwrap()
    }

    #[test]
    fn collection_names_and_aliases() {
        assert_eq!(
            parse("tasks", today()),
            Ok(CommandLine::Go(Collection::Tasks))
        );
        assert_eq!(parse(":t", today()), Ok(CommandLine::Go(Collection::Tasks)));
        assert_eq!(
            parse("dr", today()),
            Ok(CommandLine::Go(Collection::Drivers))
        );
        assert_eq!(
            parse("exceptions", today()),
            Ok(CommandLine::Go(Collection::ScheduleExceptions))
        );
        assert_eq!(
            parse("route templates", today()),
            Ok(CommandLine::Go(Collection::RouteTemplateGroups))
        );
        assert_eq!(
            parse("submissions", today()),
            Ok(CommandLine::Go(Collection::FormSubmissions))
        );
        assert!(parse("teleport", today()).is_err());
        assert!(parse("", today()).is_err());
    }

    #[test]
    fn dates_quit_help_refresh() {
        assert_eq!(
            parse("date 2025-08-25", today()),
            Ok(CommandLine::Date(Date::from_ymd(2025, 8, 25).unwrap()))
        );
        assert_eq!(
            parse("date tomorrow", today()),
            Ok(CommandLine::Date(Date::from_ymd(2025, 8, 23).unwrap()))
        );
        assert!(
            parse("date 2025-13-01", today())
                .unwrap_err()
                .contains("2025-13-01")
        );
        assert!(parse("date", today()).is_err());
        assert_eq!(parse("q", today()), Ok(CommandLine::Quit));
        assert_eq!(parse("quit", today()), Ok(CommandLine::Quit));
        assert_eq!(parse("help", today()), Ok(CommandLine::Help));
        assert_eq!(parse("refresh", today()), Ok(CommandLine::Refresh));
    }

    #[test]
    fn completion() {
        assert_eq!(completions("ro"), ["routes", "route-templates"]);
        assert_eq!(completions("da"), ["date "]);
        assert_eq!(completions("date to"), ["date today", "date tomorrow"]);
        assert_eq!(completions("date today"), Vec::<String>::new());
        assert_eq!(completions("x"), Vec::<String>::new());
        assert_eq!(completions("").len(), WORDS.len());
    }
}
