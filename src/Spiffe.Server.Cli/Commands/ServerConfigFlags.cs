using System.CommandLine;
using Spiffe.Configuration;
using Spiffe.Server.Config;

namespace Spiffe.Server.Cli.Commands;

/// <summary>
/// The configuration flags of <c>run</c> and <c>validate</c>: <c>-config</c> and <c>-expandEnv</c>, plus (for
/// <c>run</c>) the flags that override file values.
/// </summary>
internal sealed class ServerConfigFlags
{
    /// <summary>The file spire-server reads when <c>-config</c> is not given.</summary>
    public const string DefaultConfigPath = "conf/server/server.conf";

    private readonly Option<string> config = new("-config", "--config") { Description = "Path to a SPIRE config file", DefaultValueFactory = _ => DefaultConfigPath };

    private readonly Option<bool> expandEnv = new("-expandEnv", "--expandEnv") { Description = "Expand environment variables in SPIRE config file" };

    private readonly Option<string> bindAddress = new("-bindAddress", "--bindAddress") { Description = "IP address or DNS name of the SPIFFE server" };

    private readonly Option<int?> serverPort = new("-serverPort", "--serverPort") { Description = "Port number of the SPIFFE server" };

    private readonly Option<string> socketPath = new("-socketPath", "--socketPath") { Description = "Path to bind the SPIFFE Server API socket to" };

    private readonly Option<string> trustDomain = new("-trustDomain", "--trustDomain") { Description = "The trust domain that this server belongs to" };

    private readonly Option<string> dataDir = new("-dataDir", "--dataDir") { Description = "Directory to store runtime data to" };

    private readonly Option<string> logLevel = new("-logLevel", "--logLevel") { Description = "'debug', 'info', 'warn', or 'error'" };

    private readonly Option<string> logFormat = new("-logFormat", "--logFormat") { Description = "'text' or 'json'" };

    private readonly Option<string> logFile = new("-logFile", "--logFile") { Description = "File to write logs to" };

    private bool hasOverrides;

    /// <summary>Adds the flags to the command.</summary>
    /// <param name="command">The command.</param>
    /// <param name="withOverrides">Whether to add the override flags too (<c>run</c>).</param>
    public void AddTo(Command command, bool withOverrides)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(this.config);
        command.Options.Add(this.expandEnv);
        this.hasOverrides = withOverrides;
        if (withOverrides)
        {
            command.Options.Add(this.bindAddress);
            command.Options.Add(this.serverPort);
            command.Options.Add(this.socketPath);
            command.Options.Add(this.trustDomain);
            command.Options.Add(this.dataDir);
            command.Options.Add(this.logLevel);
            command.Options.Add(this.logFormat);
            command.Options.Add(this.logFile);
        }
    }

    /// <summary>Loads and validates the configuration the flags name.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigException">The file is unreadable, malformed or invalid.</exception>
    public ServerConfig Load(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var overrides = !this.hasOverrides
            ? ServerConfigOverrides.None
            : new ServerConfigOverrides
            {
                BindAddress = parseResult.GetValue(this.bindAddress),
                BindPort = parseResult.GetValue(this.serverPort),
                SocketPath = parseResult.GetValue(this.socketPath),
                TrustDomain = parseResult.GetValue(this.trustDomain),
                DataDir = parseResult.GetValue(this.dataDir),
                LogLevel = parseResult.GetValue(this.logLevel),
                LogFormat = parseResult.GetValue(this.logFormat),
                LogFile = parseResult.GetValue(this.logFile),
            };
        var path = parseResult.GetRequiredValue(this.config);
        try
        {
            return ServerConfigLoader.Load(path, overrides, parseResult.GetValue(this.expandEnv));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(new ConfigLocation(path, 0, 0), "cannot read the configuration file: " + ex.Message);
        }
    }
}
