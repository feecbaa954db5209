using System.Globalization;
using Spiffe.Core;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// What a caller holding a task grant may do to registration entries in one call. An entry it creates, or an entry as
/// an update leaves it, must: have a SPIFFE ID at or below the grant's <c>id_prefix</c>; be parented to
/// <see cref="Owner"/> (the parent of the caller's admin entry); not be an admin or downstream entry; have no DNS
/// names; have X509-SVID and JWT-SVID TTLs (server defaults when 0) of at most <c>max_ttl</c>; and have an
/// <c>expires_at</c> at most <c>max_ttl</c> from now. It may update and delete only entries it could have created
/// (the same rules except the lifetime ones). Each check returns the broken rule, or null.
/// </summary>
internal sealed class TaskGrantScope
{
    private readonly ServerConfig config;
    private readonly DateTimeOffset now;
    private readonly Action<string> log;

    /// <summary>Creates the scope.</summary>
    /// <param name="grant">The caller's grant.</param>
    /// <param name="owner">The agent that owns the caller's admin entry (that entry's parent).</param>
    /// <param name="config">The server configuration (default TTLs).</param>
    /// <param name="now">The time of the call.</param>
    /// <param name="log">Logs a denial reason.</param>
    public TaskGrantScope(TaskGrant grant, SpiffeId owner, ServerConfig config, DateTimeOffset now, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        this.Grant = grant;
        this.Owner = owner;
        this.config = config;
        this.now = now;
        this.log = log;
    }

    /// <summary>The caller's grant.</summary>
    public TaskGrant Grant { get; }

    /// <summary>The only parent the caller's entries may have.</summary>
    public SpiffeId Owner { get; }

    /// <summary>The message of a denial: <c>task grant of &lt;admin ID&gt;: &lt;reason&gt;</c>.</summary>
    /// <param name="adminId">The granted admin SPIFFE ID.</param>
    /// <param name="reason">The broken rule.</param>
    /// <returns>The message.</returns>
    public static string Message(SpiffeId adminId, string reason) => $"task grant of {adminId}: {reason}";

    /// <summary>Checks an entry to be created, or an entry as an update would leave it.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The denial message, or null when allowed.</returns>
    public string? CheckWrite(RegistrationEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return this.Deny(this.OwnershipRule(entry) ?? this.LifetimeRule(entry));
    }

    /// <summary>Checks an existing entry to be updated or deleted: the caller must have been able to create it.</summary>
    /// <param name="entry">The stored entry.</param>
    /// <returns>The denial message, or null when allowed.</returns>
    public string? CheckOwned(RegistrationEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return this.Deny(this.OwnershipRule(entry));
    }

    private static string Seconds(TimeSpan value) => ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";

    private string? OwnershipRule(RegistrationEntry entry)
    {
        if (!this.Grant.Covers(entry.SpiffeId))
        {
            return $"spiffe_id \"{entry.SpiffeId}\" is not at or below id_prefix \"{this.Grant.IdPrefix}/\"";
        }

        if (entry.ParentId != this.Owner)
        {
            return $"parent_id must be \"{this.Owner}\", the agent that owns the admin entry";
        }

        if (entry.Admin)
        {
            return "admin entries are not allowed";
        }

        if (entry.Downstream)
        {
            return "downstream entries are not allowed";
        }

        return entry.DnsNames.Count > 0 ? "dns_names are not allowed" : null;
    }

    private string? LifetimeRule(RegistrationEntry entry)
    {
        var max = this.Grant.MaxTtl;
        var x509 = entry.X509SvidTtl > 0 ? TimeSpan.FromSeconds(entry.X509SvidTtl) : this.config.DefaultX509SvidTtl;
        if (x509 > max)
        {
            return $"x509_svid_ttl ({Seconds(x509)}{(entry.X509SvidTtl > 0 ? string.Empty : ", the server default")}) exceeds max_ttl ({Seconds(max)})";
        }

        var jwtDefault = this.config.DefaultJwtSvidTtl > this.config.DefaultWitSvidTtl ? this.config.DefaultJwtSvidTtl : this.config.DefaultWitSvidTtl;
        var jwt = entry.JwtSvidTtl > 0 ? TimeSpan.FromSeconds(entry.JwtSvidTtl) : jwtDefault;
        if (jwt > max)
        {
            return $"jwt_svid_ttl ({Seconds(jwt)}{(entry.JwtSvidTtl > 0 ? string.Empty : ", the server default")}) exceeds max_ttl ({Seconds(max)})";
        }

        if (entry.ExpiresAt == 0)
        {
            return "expires_at is required";
        }

        return entry.ExpiresAt > (this.now + max).ToUnixTimeSeconds()
            ? $"expires_at is more than max_ttl ({Seconds(max)}) from now"
            : null;
    }

    private string? Deny(string? reason)
    {
        if (reason is null)
        {
            return null;
        }

        this.log(reason);
        return Message(this.Grant.AdminId, reason);
    }
}
