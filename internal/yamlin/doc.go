// Package yamlin reads YAML (and JSON, which is YAML) files that people
// write by hand — the register, the stack — into Go values, reporting every
// problem with its file, line, column and path instead of stopping at the
// first:
//
//	register.yaml:12:5: groups[2].ownr: unknown field "ownr" (did you mean "owner"?)
//
// [Parse] turns bytes into a yaml.Node tree with a size limit, UTF-8 and
// control-character checks, a single-document rule and corrected libyaml
// positions. [Decoder] (or [Decode]) then walks the tree against the
// destination's Go types, guided by their yaml struct tags: unknown keys
// (with a suggestion), values of the wrong shape, duplicate keys, missing
// required fields, alias loops and "billion laughs" alias bombs are all
// reported as [Error] values in an [ErrorList]. Neither panics on any input.
//
// # Hooks
//
// [Options] lets a caller plug in what is specific to its format: Value
// decodes its own types (the register's dates and periods) or records where
// values are; Unknown words the message for a key written in the wrong
// place; Exclude hides fields that a file may not set; Required (or the
// struct tag `yamlin:"required"`) lists fields that must be present.
//
// [Decoder.Failed] tells later semantic checks which values already failed,
// so that they do not pile follow-on errors on them.
package yamlin
