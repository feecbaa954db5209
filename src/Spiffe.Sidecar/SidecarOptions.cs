namespace Spiffe.Sidecar;

/// <summary>
/// What the sidecar keeps written and whom it tells, as read from an spiffe-helper style <c>helper.conf</c> by
/// <see cref="SidecarConfig"/>. File names are relative to <see cref="CertDirectory"/>.
/// </summary>
internal sealed record SidecarOptions
{
    /// <summary>Default mode of certificate and bundle files, 0644.</summary>
    public const UnixFileMode DefaultCertFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Default mode of key, JWT-SVID and JWT bundle files, 0600.</summary>
    public const UnixFileMode DefaultSecretFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The Workload API address (<c>unix:///…</c> or <c>tcp://…</c>); null for <c>SPIFFE_ENDPOINT_SOCKET</c>.</summary>
    public string? AgentAddress { get; init; }

    /// <summary>The directory the files are written to (<c>cert_dir</c>); created if missing.</summary>
    public string CertDirectory { get; init; } = ".";

    /// <summary>The X509-SVID certificate file (<c>svid_file_name</c>): leaf, then intermediates.</summary>
    public string? SvidFileName { get; init; }

    /// <summary>The X509-SVID private key file (<c>svid_key_file_name</c>), PKCS#8 PEM.</summary>
    public string? SvidKeyFileName { get; init; }

    /// <summary>The trust bundle file (<c>svid_bundle_file_name</c>).</summary>
    public string? SvidBundleFileName { get; init; }

    /// <summary>Write the SVID's intermediates to the bundle file instead of the certificate file (<c>add_intermediates_to_bundle</c>).</summary>
    public bool AddIntermediatesToBundle { get; init; }

    /// <summary>Append the federated trust domains' authorities to the bundle file (<c>include_federated_domains</c>).</summary>
    public bool IncludeFederatedDomains { get; init; }

    /// <summary>The JWT-SVIDs to keep written (<c>jwt_svids</c>).</summary>
    public IReadOnlyList<JwtSvidFileOptions> JwtSvids { get; init; } = [];

    /// <summary>The JWT bundle file (<c>jwt_bundle_file_name</c>): a JSON object of trust domain name to base64 JWKS.</summary>
    public string? JwtBundleFileName { get; init; }

    /// <summary>The command (<c>cmd</c>): a child signalled on renewal when <see cref="RenewSignal"/> is set, otherwise a hook run after each write.</summary>
    public string? Command { get; init; }

    /// <summary>The command's arguments (<c>cmd_args</c>, split at spaces outside double quotes).</summary>
    public IReadOnlyList<string> CommandArguments { get; init; } = [];

    /// <summary>The signal sent on renewal (<c>renew_signal</c>).</summary>
    public SidecarSignal? RenewSignal { get; init; }

    /// <summary>A file holding the PID to signal on renewal (<c>pid_file_name</c>).</summary>
    public string? PidFileName { get; init; }

    /// <summary>Mode of the certificate and bundle files (<c>cert_file_mode</c>).</summary>
    public UnixFileMode CertFileMode { get; init; } = DefaultCertFileMode;

    /// <summary>Mode of the key file (<c>key_file_mode</c>).</summary>
    public UnixFileMode KeyFileMode { get; init; } = DefaultSecretFileMode;

    /// <summary>Mode of the JWT bundle file (<c>jwt_bundle_file_mode</c>).</summary>
    public UnixFileMode JwtBundleFileMode { get; init; } = DefaultSecretFileMode;

    /// <summary>Mode of the JWT-SVID files (<c>jwt_svid_file_mode</c>).</summary>
    public UnixFileMode JwtSvidFileMode { get; init; } = DefaultSecretFileMode;

    /// <summary>Keep running and renewing (<c>daemon_mode</c>, default true); false writes once and exits.</summary>
    public bool DaemonMode { get; init; } = true;

    /// <summary>How long the first complete write may take before the sidecar gives up (<c>timeout</c>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the X.509 files are configured (all three names).</summary>
    public bool X509Enabled => this.SvidFileName is not null && this.SvidKeyFileName is not null && this.SvidBundleFileName is not null;
}
