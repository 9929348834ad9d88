/**
 * What the plugin says about itself: its package name and version, which are the npm package's, so that
 * `pulumi about` and `pulumi plugin ls` show the version users installed.
 */

/** The Pulumi package name: the first part of every type token and the stack config namespace. */
export const PACKAGE_NAME = "zstackvm";

/** The provider's own type token, as the engine names provider resources. */
export const PROVIDER_TYPE = `pulumi:providers:${PACKAGE_NAME}`;

/** The type token of a resource kind or a function of this package, e.g. `zstackvm:index:VmPauseState`. */
export function token(name: string): string {
  return `${PACKAGE_NAME}:index:${name}`;
}

// `require` rather than reading the file: the esbuild bundle of the plugin inlines the JSON, and a read relative to
// `__dirname` would find nothing beside the one bundled file.
const manifest = require("../../package.json") as { readonly version: string };

/** The plugin's version: the npm package's (`provider/package.json`). */
export const PLUGIN_VERSION: string = manifest.version;
