//go:build tools

// Package tools pins the Pulumi CLI that omnitenant builds when `pulumi` is not on PATH.
// Pulumi's own go.mod files carry replace directives, so `go install pkg@version` refuses
// them; requiring the module from this wrapper builds the same code at the pinned version.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
