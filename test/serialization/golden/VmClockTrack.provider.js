exports.handler = () => require("pulumi-zstack-vm/runtime").provider("VmClockTrack");
