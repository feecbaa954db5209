namespace Spiffe.Server.Tests.Cli;

/// <summary>A SPIRE-format <c>server.conf</c> for <c>run</c> and <c>validate</c> tests, with every file in one directory.</summary>
public static class ServerConfigFile
{
    /// <summary>The configuration text: trust domain <c>example.org</c>, SQLite, memory keys, join_token attestor.</summary>
    /// <param name="directory">Where the socket (<c>api.sock</c>), the database and the data go.</param>
    /// <param name="bindPort">The agent API port on 127.0.0.1 (0 = any free one).</param>
    /// <returns>The text.</returns>
    public static string Text(string directory, int bindPort) => $$"""
        server {
            bind_address = "127.0.0.1"
            bind_port = "{{bindPort}}"
            socket_path = "{{Path.Combine(directory, "api.sock")}}"
            trust_domain = "example.org"
            data_dir = "{{directory}}"
            log_level = "WARN"
        }

        plugins {
            DataStore "sql" {
                plugin_data {
                    database_type = "sqlite3"
                    connection_string = "{{Path.Combine(directory, "datastore.sqlite3")}}"
                }
            }

            KeyManager "memory" {
                plugin_data {}
            }

            NodeAttestor "join_token" {
                plugin_data {}
            }
        }
        """;
}
