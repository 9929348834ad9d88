// Declares the run-time state of ZStack VMs: pause state (VmPauseState) and clock-track settings (VmClockTrack), with import, drift on refresh and restore on delete; VM lookups.
package zstackvm
