using System.Runtime.Versioning;

// Task supervision is Linux-only (cgroup v2, pidfd); the tests run real processes in real cgroups.
[assembly: SupportedOSPlatform("linux")]
