namespace Spiffe.Server.Config;

/// <summary>Where CA and JWT private keys live.</summary>
internal enum KeyManagerKind
{
    /// <summary><c>KeyManager "memory"</c>: keys are lost on restart (a new CA is made each start).</summary>
    Memory,

    /// <summary><c>KeyManager "disk"</c>: keys persist in <c>keys_path</c> (mode 0600).</summary>
    Disk,
}
