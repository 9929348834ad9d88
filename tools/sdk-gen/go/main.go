// Command sdk-gen generates the SDK of one language from a Pulumi package schema with Pulumi's own code generators
// (the CLI's `pulumi package gen-sdk` would need language hosts that implement GeneratePackage). It reads the schema
// on stdin and writes one JSON object to stdout: each generated file's path, relative to the SDK's directory, with
// its content in base64. ../main.ts runs it and owns the files on disk.
//
// Usage: sdk-gen [-typescript-version <range>] nodejs|go|python < schema.json
//
// The nodejs SDK is generated as a local SDK (`main` is its compiled `bin/index.js`, and its postinstall script
// compiles it), built with the TypeScript that -typescript-version names when the schema names none.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The name the generated files' headers give as their generator.
const tool = "pulumi-zstack-vm sdk-gen"

// options are what the command line sets beside the language.
type options struct {
	typescriptVersion string
}

type generator func(*schema.Package, schema.ReferenceLoader, options) (map[string][]byte, error)

var generators = map[string]generator{
	"nodejs": func(pkg *schema.Package, loader schema.ReferenceLoader, opts options) (map[string][]byte, error) {
		if err := pkg.ImportLanguages(map[string]schema.Language{"nodejs": nodejs.Importer}); err != nil {
			return nil, err
		}
		info, _ := pkg.Language["nodejs"].(nodejs.NodePackageInfo)
		if info.TypeScriptVersion == "" {
			info.TypeScriptVersion = opts.typescriptVersion
		}
		pkg.Language["nodejs"] = info
		return nodejs.GeneratePackage(tool, pkg, nil, nil, true, loader)
	},
	"go": func(pkg *schema.Package, _ schema.ReferenceLoader, _ options) (map[string][]byte, error) {
		return gogen.GeneratePackage(tool, pkg, nil)
	},
	"python": func(pkg *schema.Package, loader schema.ReferenceLoader, _ options) (map[string][]byte, error) {
		return python.GeneratePackage(tool, pkg, nil, loader)
	},
}

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "sdk-gen: %v\n", err)
		os.Exit(1)
	}
}

func run(argv []string, in io.Reader, out io.Writer) error {
	flags := flag.NewFlagSet("sdk-gen", flag.ContinueOnError)
	var opts options
	flags.StringVar(&opts.typescriptVersion, "typescript-version", "",
		"the TypeScript version range of the nodejs SDK when the schema names none")
	if err := flags.Parse(argv); err != nil {
		return err
	}
	args := flags.Args()
	if len(args) != 1 || generators[args[0]] == nil {
		return fmt.Errorf("usage: sdk-gen [-typescript-version <range>] nodejs|go|python < schema.json (got %q)", args)
	}
	var spec schema.PackageSpec
	if err := json.NewDecoder(in).Decode(&spec); err != nil {
		return fmt.Errorf("reading the schema: %w", err)
	}
	loader := noReferences{}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	if err != nil {
		return fmt.Errorf("binding the schema: %w", err)
	}
	if diags.HasErrors() {
		return fmt.Errorf("the schema is not valid: %s", diags.Error())
	}
	files, err := generators[args[0]](pkg, loader, opts)
	if err != nil {
		return fmt.Errorf("generating the %s SDK: %w", args[0], err)
	}
	// Byte slices encode as base64: the .NET SDK has a PNG logo.
	return json.NewEncoder(out).Encode(files)
}

// noReferences is the schema loader of a package that references no other package: a reference is an error rather
// than a download.
type noReferences struct{}

func (noReferences) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, refused(name)
}

func (noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, refused(d.Name)
}

func (noReferences) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, refused(name)
}

func (noReferences) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, refused(d.Name)
}

func refused(name string) error {
	return fmt.Errorf("the schema references package %q; sdk-gen generates packages that reference no other", name)
}
