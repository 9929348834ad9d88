// Command sdk-gen-dotnet generates the .NET SDK of a Pulumi package schema, as ../main.go does the other languages
// (same input and output: the schema on stdin, a JSON object of file paths and texts on stdout).
//
// It is a module of its own because Pulumi's .NET generator left pkg/v3: frozen in February 2026 and removed in
// April 2026 (pulumi/pulumi#22435), it now lives in github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3,
// which the Go module proxy refuses (403). pkg/v3 v3.206.0 still has it, and the YAML language host already builds
// that version (../../../pulumi-cli/go/yaml-language-host), so it costs little to build.
//
// Usage: sdk-gen-dotnet < schema.json
package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/dotnet"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The name the generated files' headers give as their generator.
const tool = "pulumi-zstack-vm sdk-gen"

// The generator downloads the package's logo (the schema's logoUrl, else Pulumi's) into the SDK; generation here is
// offline and reproducible, so every download gets this one (a plain 64x64 square).
//
//go:embed logo.png
var logo []byte

type offlineLogo struct{}

func (offlineLogo) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(r.URL.Path, ".png") {
		return nil, fmt.Errorf("sdk-gen-dotnet generates offline; it refuses to fetch %s", r.URL)
	}
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"image/png"}},
		Body:       io.NopCloser(bytes.NewReader(logo)),
		Request:    r,
	}, nil
}

func main() {
	http.DefaultTransport = offlineLogo{}
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "sdk-gen-dotnet: %v\n", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	var spec schema.PackageSpec
	if err := json.NewDecoder(in).Decode(&spec); err != nil {
		return fmt.Errorf("reading the schema: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return fmt.Errorf("binding the schema: %w", err)
	}
	if diags.HasErrors() {
		return fmt.Errorf("the schema is not valid: %s", diags.Error())
	}
	files, err := dotnet.GeneratePackage(tool, pkg, nil, nil)
	if err != nil {
		return fmt.Errorf("generating the dotnet SDK: %w", err)
	}
	// Byte slices encode as base64: the .NET SDK has a PNG logo.
	return json.NewEncoder(out).Encode(files)
}

// noReferences is the schema loader of a package that references no other package: a reference is an error rather
// than a download.
type noReferences struct{}

func (noReferences) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references package %q; sdk-gen generates packages that reference no other", name)
}

func (l noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, nil)
}
