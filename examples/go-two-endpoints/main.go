// The two-endpoint stack on the generated Go SDK of pulumi-zstack-vm's native provider (see README.md).
//
//   - Endpoint A, the default provider, configured by the stack's zstackvm:* config: "west-web" keeps the VM
//     webVmUuid Paused; once `pulumi import` has adopted it and declareImported is true, "west-db" declares the VM
//     adoptVmUuid Paused as it was found.
//   - Endpoint B, the explicit provider "east", configured from the stack's east:* config (the password a secret):
//     "east-web" keeps the VM webVmUuid of that endpoint Paused, "east-clock" sets the VM clockVmUuid's clock track
//     to guest with a sync every 60 s, and "east-db-clock" adopts the VM adoptVmUuid's clock as it is (the import
//     resource option: no action).
//
// The uuids default to the simulator's demo VMs, so the stack runs as is against two `npm run simulator`s.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/pulumi-zstack-vm/pulumi-zstack-vm/sdk/go/zstackvm"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		webVM := orDefault(cfg.Get("webVmUuid"), "aaaa0000000000000000000000000001")
		clockVM := orDefault(cfg.Get("clockVmUuid"), "aaaa0000000000000000000000000002")
		adoptVM := orDefault(cfg.Get("adoptVmUuid"), "aaaa0000000000000000000000000003")

		// Endpoint A: no provider option, so the default provider, which the engine configures from zstackvm:*.
		westWeb, err := zstackvm.NewVmPauseState(ctx, "west-web", &zstackvm.VmPauseStateArgs{
			VmUuid: pulumi.String(webVM),
			State:  zstackvm.PauseStatePaused,
		})
		if err != nil {
			return err
		}
		if cfg.GetBool("declareImported") {
			// The values `pulumi import` read: the program then previews with no changes.
			if _, err := zstackvm.NewVmPauseState(ctx, "west-db", &zstackvm.VmPauseStateArgs{
				VmUuid: pulumi.String(adoptVM),
				State:  zstackvm.PauseStatePaused,
			}); err != nil {
				return err
			}
		}

		// Endpoint B: a provider instance of its own (its own process, session and pool).
		eastCfg := config.New(ctx, "east")
		east, err := zstackvm.NewProvider(ctx, "east", &zstackvm.ProviderArgs{
			Host:            pulumi.String(eastCfg.Require("host")),
			Port:            pulumi.Int(eastCfg.RequireInt("port")),
			Scheme:          pulumi.String(orDefault(eastCfg.Get("scheme"), "http")),
			ContextPath:     pulumi.String(orDefault(eastCfg.Get("contextPath"), "zstack")),
			AccountName:     pulumi.String(eastCfg.Require("accountName")),
			AccountPassword: eastCfg.RequireSecret("accountPassword"),
		})
		if err != nil {
			return err
		}
		onEast := pulumi.Provider(east)
		eastWeb, err := zstackvm.NewVmPauseState(ctx, "east-web", &zstackvm.VmPauseStateArgs{
			VmUuid: pulumi.String(webVM),
			State:  zstackvm.PauseStatePaused,
		}, onEast)
		if err != nil {
			return err
		}
		eastClock, err := zstackvm.NewVmClockTrack(ctx, "east-clock", &zstackvm.VmClockTrackArgs{
			VmUuid:            pulumi.String(clockVM),
			Track:             zstackvm.ClockTrackGuest,
			IntervalInSeconds: pulumi.Int(60),
		}, onEast)
		if err != nil {
			return err
		}
		// Adopted as found: the declared track must be the VM's current one, or the engine refuses the import.
		if _, err := zstackvm.NewVmClockTrack(ctx, "east-db-clock", &zstackvm.VmClockTrackArgs{
			VmUuid: pulumi.String(adoptVM),
			Track:  zstackvm.ClockTrackHost,
		}, onEast, pulumi.Import(pulumi.ID(adoptVM))); err != nil {
			return err
		}

		ctx.Export("westWebState", westWeb.State)
		ctx.Export("eastWebState", eastWeb.State)
		ctx.Export("eastClockTrack", eastClock.Track)
		return nil
	})
}

// orDefault returns value, or fallback when value is empty (config.Get's answer for an unset key).
func orDefault(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}
