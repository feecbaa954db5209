using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spiffe.Core;
using Spiffe.Server.Ca;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.AgentFacing;

/// <summary>
/// Server side of SPIRE's <c>x509pop</c> node attestation. The payload is <c>{"certificates":["&lt;b64 DER&gt;",…]}</c>
/// (leaf first); the leaf must chain to <c>ca_bundle_path(s)</c> and carry keyUsage digitalSignature. The challenge is
/// <c>{"rsa_signature":{"nonce":…},"ecdsa_signature":null}</c> (or the ECDSA variant); the answer signs
/// SHA-256(challenge nonce ‖ response nonce): ECDSA as big-endian <c>r</c>/<c>s</c>, RSA as RSASSA-PSS/SHA-256.
/// </summary>
internal sealed class X509PopVerifier
{
    /// <summary>The attestation type name.</summary>
    public const string Type = "x509pop";

    private const int NonceSize = 32;

    // Go's encoding/json leaves '+' and '/' of base64 unescaped; so do we.
    private static readonly JsonSerializerOptions GoJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly X509Certificate2[] _roots;
    private readonly TrustDomain _trustDomain;
    private readonly string _pathTemplate;

    /// <summary>Creates the verifier, loading the CA bundles now (fails start-up when unreadable).</summary>
    /// <exception cref="InvalidOperationException">A CA bundle is unreadable or empty, or the path template is invalid.</exception>
    public X509PopVerifier(ServerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _trustDomain = config.TrustDomain;
        if (config.X509Pop is not { } x509Pop)
        {
            _roots = [];
            _pathTemplate = string.Empty;
            return;
        }

        Enabled = true;
        var roots = new List<X509Certificate2>();
        foreach (var path in x509Pop.CaBundlePaths)
        {
            try
            {
                var collection = new X509Certificate2Collection();
                collection.ImportFromPemFile(path);
                if (collection.Count == 0)
                {
                    throw new InvalidOperationException("no certificates");
                }

                roots.AddRange(collection);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or InvalidOperationException)
            {
                throw new InvalidOperationException($"NodeAttestor \"x509pop\": cannot load ca_bundle_path \"{path}\": {ex.Message}", ex);
            }
        }

        _roots = [.. roots];
        _pathTemplate = x509Pop.AgentPathTemplate ?? "/{{ .PluginName }}/{{ .Fingerprint }}";
        var probe = RenderPath("0", "cn", "00");
        if (probe is null)
        {
            throw new InvalidOperationException($"NodeAttestor \"x509pop\": unsupported agent_path_template \"{_pathTemplate}\"");
        }
    }

    /// <summary>Whether x509pop is configured.</summary>
    public bool Enabled { get; }

    /// <summary>Parses the payload and verifies the chain at <paramref name="now"/>; returns the challenge to send.</summary>
    /// <exception cref="AttestationException">The payload is malformed or the chain is not trusted.</exception>
    public (X509PopChallenge Challenge, IReadOnlyList<X509Certificate2> Chain) Begin(byte[] payload, DateTimeOffset now)
    {
        var certificates = ParsePayload(payload);
        var leaf = certificates[0];
        var usage = leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is null || !usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            throw new AttestationException(false, "leaf certificate must have the digitalSignature key usage");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.ExtraStore.AddRange(certificates.Skip(1).ToArray());
        if (!chain.Build(leaf))
        {
            var reason = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            throw new AttestationException(true, "certificate verification failed: " + (reason.Length > 0 ? reason : "untrusted"));
        }

        var verified = chain.ChainElements.Select(e => e.Certificate).ToArray();
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var isRsa = leaf.GetRSAPublicKey() is { } rsaKey && Dispose(rsaKey);
        var body = new JsonObject { ["nonce"] = Convert.ToBase64String(nonce) };
        var json = isRsa
            ? new JsonObject { ["rsa_signature"] = body, ["ecdsa_signature"] = null }
            : new JsonObject { ["rsa_signature"] = null, ["ecdsa_signature"] = body };
        return (new X509PopChallenge(leaf, nonce, Encoding.UTF8.GetBytes(json.ToJsonString(GoJson))), verified);
    }

    /// <summary>Checks the agent's answer to <paramref name="challenge"/>.</summary>
    /// <exception cref="AttestationException">The answer is malformed or the signature does not verify.</exception>
    public static void Verify(X509PopChallenge challenge, byte[] response)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(response);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(response) as JsonObject ?? throw new AttestationException(false, "challenge response must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new AttestationException(false, "unable to unmarshal challenge response: " + ex.Message);
        }

        using var rsa = challenge.Leaf.GetRSAPublicKey();
        using var ecdsa = rsa is null ? challenge.Leaf.GetECDsaPublicKey() : null;
        var member = rsa is not null ? root["rsa_signature"] : root["ecdsa_signature"];
        if (member is not JsonObject answer)
        {
            throw new AttestationException(false, rsa is not null ? "expected an RSA signature response" : "expected an ECDSA signature response");
        }

        var responseNonce = Base64(answer, "nonce");
        if (responseNonce.Length != NonceSize)
        {
            throw new AttestationException(false, "response nonce must be 32 bytes");
        }

        var digest = SHA256.HashData([.. challenge.Nonce, .. responseNonce]);
        bool ok;
        if (rsa is not null)
        {
            ok = PssVerifier.Verify(rsa, digest, Base64(answer, "signature"));
        }
        else if (ecdsa is not null)
        {
            var size = (ecdsa.KeySize + 7) / 8;
            var r = Base64(answer, "r");
            var s = Base64(answer, "s");
            ok = r.Length <= size && s.Length <= size && ecdsa.VerifyHash(digest, Concat(r, s, size));
        }
        else
        {
            throw new AttestationException(false, "unsupported agent key type");
        }

        if (!ok)
        {
            throw new AttestationException(true, "challenge response signature does not verify");
        }
    }

    /// <summary>The agent ID for a verified leaf (default <c>/spire/agent/x509pop/&lt;sha1 hex&gt;</c>).</summary>
    /// <exception cref="AttestationException">The rendered path is not a valid SPIFFE ID path.</exception>
    public SpiffeId AgentId(X509Certificate2 leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var path = RenderPath(Fingerprint(leaf), CommonName(leaf), SerialHex(leaf))!;
        try
        {
            return SpiffeId.FromPath(_trustDomain, "/spire/agent" + path);
        }
        catch (SpiffeIdException ex)
        {
            throw new AttestationException(false, "agent ID from agent_path_template is invalid: " + ex.Message);
        }
    }

    /// <summary>The node selectors for a verified chain (leaf first).</summary>
    public IReadOnlyList<Selector> Selectors(IReadOnlyList<X509Certificate2> verifiedChain)
    {
        ArgumentNullException.ThrowIfNull(verifiedChain);
        var leaf = verifiedChain[0];
        var selectors = new List<Selector>
        {
            new(Type, "subject:cn:" + CommonName(leaf)),
            new(Type, "serialnumber:" + SerialHex(leaf)),
        };
        selectors.AddRange(verifiedChain.Skip(1).Select(c => new Selector(Type, "ca:fingerprint:" + Fingerprint(c))));
        var prefix = "x509pop://" + _trustDomain.Name + "/";
        foreach (var uri in SanEncoder.ReadUris(leaf).Where(u => u.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var rest = uri[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && slash < rest.Length - 1)
            {
                selectors.Add(new Selector(Type, "san:" + rest[..slash] + ":" + rest[(slash + 1)..]));
            }
        }

        return SelectorSets.Normalize(selectors);
    }

    private static bool Dispose(RSA value)
    {
        value.Dispose();
        return true;
    }

    // SHA-1 fingerprints are part of the x509pop wire contract (agent IDs and selectors), not a security decision.
#pragma warning disable CA5350
    private static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA1.HashData(certificate.RawData));
#pragma warning restore CA5350

    private static string CommonName(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, false) is { } cn
        && certificate.SubjectName.EnumerateRelativeDistinguishedNames().Any(r => r.GetSingleElementType().Value == "2.5.4.3")
        ? cn
        : string.Empty;

    private static string SerialHex(X509Certificate2 certificate)
    {
        var bytes = certificate.SerialNumberBytes.Span;
        while (bytes.Length > 1 && bytes[0] == 0)
        {
            bytes = bytes[1..];
        }

        return Convert.ToHexStringLower(bytes);
    }

    private static byte[] Concat(byte[] r, byte[] s, int size)
    {
        var signature = new byte[size * 2];
        r.CopyTo(signature, size - r.Length);
        s.CopyTo(signature, (2 * size) - s.Length);
        return signature;
    }

    private static byte[] Base64(JsonObject obj, string name)
    {
        try
        {
            return obj[name] is JsonValue value && value.TryGetValue<string>(out var text)
                ? Convert.FromBase64String(text)
                : throw new AttestationException(false, $"challenge response is missing \"{name}\"");
        }
        catch (FormatException)
        {
            throw new AttestationException(false, $"challenge response \"{name}\" is not base64");
        }
    }

    private static X509Certificate2[] ParsePayload(byte[] payload)
    {
        try
        {
            var root = JsonNode.Parse(payload) as JsonObject;
            var array = root?["certificates"] as JsonArray;
            if (array is null || array.Count == 0)
            {
                throw new AttestationException(false, "no certificate to attest");
            }

            return array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var text)
                ? X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text))
                : throw new AttestationException(false, "certificates must be base64 strings")).ToArray();
        }
        catch (Exception ex) when (ex is JsonException or FormatException or CryptographicException)
        {
            throw new AttestationException(false, "malformed x509pop attestation data: " + ex.Message);
        }
    }

    private string? RenderPath(string fingerprint, string commonName, string serialHex)
    {
        var result = new StringBuilder();
        var rest = _pathTemplate.AsSpan();
        while (!rest.IsEmpty)
        {
            var open = rest.IndexOf("{{", StringComparison.Ordinal);
            if (open < 0)
            {
                result.Append(rest);
                break;
            }

            result.Append(rest[..open]);
            rest = rest[(open + 2)..];
            var close = rest.IndexOf("}}", StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }

            var name = rest[..close].Trim().ToString();
            rest = rest[(close + 2)..];
            var value = name switch
            {
                ".PluginName" => Type,
                ".Fingerprint" => fingerprint,
                ".Subject.CommonName" => commonName,
                ".SerialNumberHex" => serialHex,
                ".TrustDomain" => _trustDomain.Name,
                _ => null,
            };
            if (value is null)
            {
                return null;
            }

            result.Append(value);
        }

        return result.ToString();
    }
}
