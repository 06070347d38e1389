//! What the demos print: a one-line summary of a Connect event and an answer as aligned lines.

use serde_json::Value;

use crate::Outcome;

/// A one-line description of what a Connect event carries: channel, initiation method, the
/// customer endpoint and a `CalledNumber` parameter.
pub fn describe_event(event: &Value) -> String {
    let data = &event["Details"]["ContactData"];
    let text = |v: &Value| match v {
        Value::Null => "null".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let endpoint = match data.get("CustomerEndpoint") {
        None => "no CustomerEndpoint".to_owned(),
        Some(Value::Null) => "CustomerEndpoint null".to_owned(),
        Some(e) => format!(
            "CustomerEndpoint {} ({})",
            text(&e["Address"]),
            text(&e["Type"])
        ),
    };
    let parameter = event["Details"]["Parameters"]
        .get("CalledNumber")
        .map(|p| format!(", Parameters.CalledNumber {p}"))
        .unwrap_or_default();
    format!(
        "{} {}, {endpoint}{parameter}",
        text(&data["Channel"]),
        text(&data["InitiationMethod"])
    )
}

/// The function's answer as lines indented by four spaces: a map's keys (sorted) and values in
/// aligned columns, or the error a flow's Error branch would see.
pub fn format_outcome(outcome: &Outcome) -> String {
    let mut lines = Vec::new();
    match outcome {
        Outcome::Response(Value::Object(map)) => {
            let width = map.keys().map(String::len).max().unwrap_or(0);
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in entries {
                let value = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                lines.push(format!("    {key:width$}  {value}"));
            }
        }
        Outcome::Response(other) => lines.push(format!("    (not a map!) {other}")),
        Outcome::Error(body) => {
            lines.push("    invocation error -> the flow takes its Error branch".to_owned());
            for field in ["errorType", "errorMessage"] {
                lines.push(format!(
                    "    {field:12}  {}",
                    body[field].as_str().unwrap_or("?")
                ));
            }
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_and_events_read_well() {
        let found = Outcome::Response(json!({"LookupResult": "FOUND", "FirstName": "Jane"}));
        assert_eq!(
            format_outcome(&found),
            "    FirstName     Jane\n    LookupResult  FOUND"
        );
        let error = Outcome::Error(json!({"errorType": "DynamoDbError", "errorMessage": "no"}));
        assert!(format_outcome(&error).contains("DynamoDbError"));
        let event = json!({"Details": {"ContactData": {"Channel": "VOICE",
            "InitiationMethod": "INBOUND",
            "CustomerEndpoint": {"Address": "+14155550100", "Type": "TELEPHONE_NUMBER"}},
            "Parameters": {"CalledNumber": "101"}}});
        assert_eq!(
            describe_event(&event),
            "VOICE INBOUND, CustomerEndpoint +14155550100 (TELEPHONE_NUMBER), \
             Parameters.CalledNumber \"101\""
        );
    }
}
