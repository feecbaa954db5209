using System.Globalization;

namespace Spiffe.Agent.Tasks.Audit;

/// <summary>Checks the hash chain of audit files and reports the first record that was edited, removed or reordered.</summary>
internal static class AuditVerifier
{
    /// <summary>
    /// Verifies <paramref name="files"/>, oldest first (<c>audit.log.2</c>, <c>audit.log.1</c>, <c>audit.log</c>), as one
    /// chain. Each record must hash to its own <c>hash</c>, chain to the previous record's hash through <c>prev</c> and
    /// carry the next sequence number. The first record of a log chains to 64 zeros.
    /// </summary>
    public static AuditVerification Verify(params IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        long index = 0;
        long? firstSeq = null;
        var previousSeq = 0L;
        var previousHash = AuditLine.GenesisHash;
        for (var f = 0; f < files.Count; f++)
        {
            var file = files[f];
            var content = File.ReadAllBytes(file);
            var lines = SplitLines(content, out var complete);
            for (var l = 0; l < lines.Count; l++, index++)
            {
                AuditTamper Fail(AuditProblem problem, string message) => new(index, file, l + 1, problem, message);

                var isTorn = !complete && l == lines.Count - 1;
                var sealedLine = isTorn ? null : AuditLine.Unseal(lines[l]);
                if (sealedLine is not { } parts)
                {
                    return new(index, firstSeq, Fail(AuditProblem.Malformed, "record is not a complete sealed JSON line"));
                }

                if (!string.Equals(AuditLine.Hash(parts.Canonical), parts.Hash, StringComparison.Ordinal))
                {
                    return new(index, firstSeq, Fail(AuditProblem.Modified, "record content does not match its hash: it was edited"));
                }

                if (AuditLine.ReadChainFields(parts.Canonical) is not { } chain)
                {
                    return new(index, firstSeq, Fail(AuditProblem.Malformed, "record has no valid seq or prev"));
                }

                if (index == 0)
                {
                    firstSeq = chain.Seq;
                    if (chain.Seq == 0 && !string.Equals(chain.Prev, AuditLine.GenesisHash, StringComparison.Ordinal))
                    {
                        return new(index, firstSeq, Fail(AuditProblem.ChainBroken, "first record does not chain to the genesis hash"));
                    }
                }
                else if (!string.Equals(chain.Prev, previousHash, StringComparison.Ordinal))
                {
                    return new(index, firstSeq, Fail(
                        AuditProblem.ChainBroken,
                        "record does not chain to the one before it: a record was removed, inserted or reordered here"));
                }
                else if (chain.Seq != previousSeq + 1)
                {
                    return new(index, firstSeq, Fail(
                        AuditProblem.ChainBroken,
                        string.Create(CultureInfo.InvariantCulture, $"sequence {chain.Seq} does not follow {previousSeq}")));
                }

                previousSeq = chain.Seq;
                previousHash = parts.Hash;
            }
        }

        return new AuditVerification(index, firstSeq, null);
    }

    /// <summary>The existing files of a log, oldest first: <c>name.N</c> … <c>name.1</c>, then <c>name</c>.</summary>
    public static IReadOnlyList<string> ChronologicalFiles(string directory, string fileName)
    {
        var rotated = new List<(int Index, string Path)>();
        if (Directory.Exists(directory))
        {
            foreach (var path in Directory.EnumerateFiles(directory, fileName + ".*"))
            {
                // The pattern also matches the current file itself ("name.*" matches "name"), hence the length check.
                var name = Path.GetFileName(path);
                var suffix = name.Length > fileName.Length + 1 ? name[(fileName.Length + 1)..] : string.Empty;
                if (int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
                {
                    rotated.Add((n, path));
                }
            }
        }

        var files = rotated.OrderByDescending(r => r.Index).Select(r => r.Path).ToList();
        var current = Path.Combine(directory, fileName);
        if (File.Exists(current))
        {
            files.Add(current);
        }

        return files;
    }

    /// <summary>Splits on '\n'; <paramref name="complete"/> is false when the last line has no newline.</summary>
    private static List<byte[]> SplitLines(byte[] content, out bool complete)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'\n')
            {
                lines.Add(content[start..i]);
                start = i + 1;
            }
        }

        complete = start == content.Length;
        if (!complete)
        {
            lines.Add(content[start..]);
        }

        return lines;
    }
}
