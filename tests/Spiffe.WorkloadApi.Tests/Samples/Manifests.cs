using YamlDotNet.RepresentationModel;

namespace Spiffe.WorkloadApi.Tests.Samples;

/// <summary>
/// The Kubernetes objects of samples/deploy/kubernetes read with YamlDotNet's representation model, and the few
/// lookups the deployment tests need: a pod's containers, their mounts, and the ConfigMap key a mounted file comes from.
/// </summary>
internal static class Manifests
{
    /// <summary>Every document of every manifest.</summary>
    public static IReadOnlyList<YamlMappingNode> All { get; } =
        [.. Directory.GetFiles(SampleFiles.Kubernetes, "*.yaml").Order(StringComparer.Ordinal).SelectMany(Load)];

    /// <summary>The documents of one file; each must be a mapping.</summary>
    public static IEnumerable<YamlMappingNode> Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        return stream.Documents.Select(document => (YamlMappingNode)document.RootNode);
    }

    public static YamlMappingNode Find(string kind, string name) =>
        All.Single(o => o.Text("kind") == kind && o.Map("metadata").Text("name") == name);

    /// <summary>The pod spec of a DaemonSet (its template) or of a Pod.</summary>
    public static YamlMappingNode PodSpec(YamlMappingNode workload) =>
        workload.Text("kind") == "Pod" ? workload.Map("spec") : workload.Map("spec").Map("template").Map("spec");

    public static YamlMappingNode Container(YamlMappingNode podSpec, string name) =>
        podSpec.Items("containers").Single(c => c.Text("name") == name);

    /// <summary>The container's mounts with the volumes they mount.</summary>
    public static IEnumerable<Mount> Mounts(YamlMappingNode podSpec, YamlMappingNode container) =>
        container.Items("volumeMounts").Select(mount => new Mount(
            mount.Text("mountPath")!,
            mount.Text("readOnly") == "true",
            podSpec.Items("volumes").Single(volume => volume.Text("name") == mount.Text("name"))));

    /// <summary>The container's command line: command, then args.</summary>
    public static IReadOnlyList<string> CommandLine(YamlMappingNode container) =>
        [.. container.Strings("command"), .. container.Strings("args")];

    /// <summary>The value that follows <paramref name="flag"/> on the container's command line.</summary>
    public static string Argument(YamlMappingNode container, string flag)
    {
        var line = CommandLine(container);
        var index = line.ToList().IndexOf(flag);
        return index >= 0 && index + 1 < line.Count ? line[index + 1] : throw new InvalidOperationException($"no {flag} in \"{string.Join(' ', line)}\"");
    }

    /// <summary>
    /// The text of a file the container sees at <paramref name="path"/> when that file comes from a ConfigMap: a
    /// configMap or projected volume mounted at the file's directory, through its items or directly by key.
    /// </summary>
    public static string ConfigMapFile(YamlMappingNode podSpec, YamlMappingNode container, string path)
    {
        var directory = Path.GetDirectoryName(path);
        var fileName = Path.GetFileName(path);
        var volume = Mounts(podSpec, container).Single(m => m.MountPath == directory).Volume;
        var sources = volume.Get("projected") is { } projected
            ? projected.Items("sources").Select(source => source.Get("configMap")).OfType<YamlMappingNode>()
            : [volume.Map("configMap")];
        foreach (var source in sources)
        {
            var items = source.Items("items").ToList();
            var key = items.Count == 0 ? fileName : items.SingleOrDefault(item => item.Text("path") == fileName)?.Text("key");
            if (key is not null && Find("ConfigMap", source.Text("name")!).Map("data").Text(key) is { } text)
            {
                return text;
            }
        }

        throw new InvalidOperationException($"{path} does not come from a ConfigMap in the manifests");
    }

    public static YamlNode? Get(this YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode Map(this YamlNode node, string key) =>
        node.Get(key) as YamlMappingNode ?? throw new InvalidOperationException($"no mapping \"{key}\" at {node.Start}");

    public static string? Text(this YamlNode node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlMappingNode> Items(this YamlNode node, string key) =>
        node.Get(key) is YamlSequenceNode sequence ? sequence.Children.Cast<YamlMappingNode>() : [];

    public static IEnumerable<string> Strings(this YamlNode node, string key) =>
        node.Get(key) is YamlSequenceNode sequence ? sequence.Children.Cast<YamlScalarNode>().Select(s => s.Value!) : [];

    /// <summary>A volume mounted into a container.</summary>
    internal sealed record Mount(string MountPath, bool ReadOnly, YamlMappingNode Volume)
    {
        /// <summary>The host directory of a hostPath volume; null for other volumes.</summary>
        public string? HostPath => this.Volume.Get("hostPath")?.Text("path");

        public string Name => this.Volume.Text("name")!;
    }
}
