/**
 * examples/typescript-sdk through the real Pulumi CLI: the TypeScript program on the generated nodejs SDK, on two
 * simulators (see two-endpoint-story.ts). The pinned nodejs language host implements no code generation, so
 * `pulumi import` runs with `--generate-code=false`; the program is type-checked by `npm run typecheck`, so ts-node
 * only transpiles it here.
 */
import { describeTwoEndpointStory } from "./two-endpoint-story";
import { exampleDir } from "./support";

describeTwoEndpointStory({
  title: "examples/typescript-sdk",
  source: exampleDir("typescript-sdk"),
  project: "typescript-sdk",
  generatesCode: false,
  env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
});
