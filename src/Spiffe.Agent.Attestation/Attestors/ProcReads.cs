using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Attestors;

/// <summary>Turns a failed procfs read into the attestor failure that names the process and the file.</summary>
internal static class ProcReads
{
    /// <summary>Runs <paramref name="read"/>; I/O, permission and format errors become <see cref="WorkloadAttestorException"/>.</summary>
    public static T Read<T>(int pid, string what, Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new WorkloadAttestorException($"could not read the {what} of PID {pid}", ex);
        }
    }
}
