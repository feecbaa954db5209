using System.CommandLine;

namespace Spiffe.Agent.Commands;

/// <summary><c>audit</c>: audit trail verbs (<c>verify</c>).</summary>
internal sealed class AuditCommand : Command
{
    /// <summary>Creates the command with its sub-verbs.</summary>
    public AuditCommand(AuditVerifyCommand verify)
        : base("audit", "Audit trail commands")
    {
        Subcommands.Add(verify);
    }
}
