// Lint config of `npm run lint`: typescript-eslint's recommended rules without type information, over every
// TypeScript and JavaScript folder.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    // Build output, the benchmark's scratch reports, the frozen `__provider` texts (they are data: changing a byte
    // of them is a state diff for every user, see provider/docs/pulumi-semantics.md#__provider-in-state), and the
    // SDKs, which are Pulumi's code generators' output (`npm run sdk`; a spec keeps them equal to what the schema
    // generates, so lint findings in them are the generators', not ours to fix).
    ignores: ["**/node_modules/**", "**/dist/**", ".bench/**", "test/serialization/golden/**", "sdk/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A provider serialized by Pulumi's closure serializer must call require() inside its methods
      // (examples/composition/placement-record.ts), the client loads undici on its first request (zstack/pool.ts),
      // and a test loads the `__provider` text with the SDK's own require-from-string.
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Plain CommonJS, so that no TypeScript compiler runs in what is measured: the benchmark's fleet program and the
    // profiler it preloads into the program and the provider host.
    files: ["tools/bench/cli-fleet-project/**/*.js", "tools/bench/cpu-profile-preload.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        __dirname: "readonly",
        setTimeout: "readonly",
      },
    },
  },
);
