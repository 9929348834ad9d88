/**
 * examples/go-two-endpoints through the real Pulumi CLI: the Go program on the generated Go SDK, built by the Go
 * language host, on two simulators (see two-endpoint-story.ts). The Go host cannot generate code for `pulumi import`.
 */
import { describeTwoEndpointStory } from "./two-endpoint-story";
import { exampleDir } from "./support";

describeTwoEndpointStory({
  title: "examples/go-two-endpoints",
  source: exampleDir("go-two-endpoints"),
  project: "go-two-endpoints",
  generatesCode: false,
});
