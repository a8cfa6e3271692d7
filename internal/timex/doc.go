// Package timex parses the timestamps found in advisory feeds with one
// tolerant function, so every adapter reads dates the same way.
//
// [Parse] returns the instant; [ParseDate] returns midnight UTC of the
// calendar day written in the input.
//
// # Accepted forms
//
// Surrounding whitespace is ignored.
//
//   - RFC 3339 with any number of fractional-second digits (0–9 and more;
//     digits beyond nanoseconds are dropped), "Z"/"z", "±hh:mm" or "±hhmm",
//     and "T", "t" or a space between date and time: 2025-08-25T17:04:19.9796Z,
//     2024-10-03T16:03:00.000Z, 2023-01-12T10:00:00+00:00, 2023-01-12 10:00:00+0000.
//   - The same without seconds (2023-01-12T10:00Z).
//   - Zone-less date-times, read as UTC: 2023-09-12T15:15:24.327.
//   - Date only, read as midnight UTC: 2022-12-17.
//   - RFC 1123 / RFC 822 with four-digit years, with or without the weekday,
//     one- or two-digit days, and a numeric offset (-0700) or one of the zone
//     names RFC 822 defines (UT, UTC, GMT, Z, EST, EDT, CST, CDT, MST, MDT,
//     PST, PDT). Other zone abbreviations are ambiguous and rejected.
//
// Results are in UTC. "0001-01-01T00:00:00Z" parses to the zero time, which
// sigwatch reads as "unknown".
package timex
