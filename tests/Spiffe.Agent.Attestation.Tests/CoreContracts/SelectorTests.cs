using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Tests.CoreContracts;

[TestFixture]
public sealed class SelectorTests
{
    private static readonly object[] s_validTexts =
    [
        new object[] { "unix:uid:1000", "unix", "uid:1000" },
        new object[] { "k8s:pod-label:app:web", "k8s", "pod-label:app:web" },
        new object[] { "container:id:0123", "container", "id:0123" },
        new object[] { "a:b", "a", "b" },
        new object[] { "cgroup:path:/a:b/c", "cgroup", "path:/a:b/c" },
    ];

    private static readonly string[] s_invalidTexts = ["", "nocolon", ":value", "type:", ":"];

    [TestCaseSource(nameof(s_validTexts))]
    public void Parse_ValidText_SplitsAtFirstColon(string text, string expectedType, string expectedValue)
    {
        // Arrange / Act
        var selector = Selector.Parse(text);

        // Assert
        Assert.That(selector.Type, Is.EqualTo(expectedType));
        Assert.That(selector.Value, Is.EqualTo(expectedValue));
        Assert.That(selector.ToString(), Is.EqualTo(text));
    }

    [TestCaseSource(nameof(s_invalidTexts))]
    public void Parse_InvalidText_ThrowsFormatException(string text)
    {
        // Arrange / Act / Assert
        Assert.That(() => Selector.Parse(text), Throws.TypeOf<FormatException>());
        Assert.That(Selector.TryParse(text, out _), Is.False);
    }

    [TestCase("", "v")]
    [TestCase("a:b", "v")]
    [TestCase("unix", "")]
    public void Constructor_InvalidPart_ThrowsArgumentException(string type, string value)
    {
        // Arrange / Act / Assert
        Assert.That(() => new Selector(type, value), Throws.TypeOf<ArgumentException>());
    }

    [Test]
    public void Equals_DifferentCase_AreDifferent()
    {
        // Arrange
        var lower = Selector.Parse("unix:user:alice");
        var upper = Selector.Parse("unix:user:Alice");

        // Act / Assert
        Assert.That(lower, Is.Not.EqualTo(upper));
        Assert.That(lower, Is.EqualTo(new Selector("unix", "user:alice")));
    }

    [Test]
    public void CompareTo_ByTypeThenValueOrdinal_Orders()
    {
        // Arrange
        var selectors = new[] { Selector.Parse("unix:uid:2"), Selector.Parse("cgroup:path:/"), Selector.Parse("unix:gid:1") };

        // Act
        var ordered = selectors.Order().Select(s => s.ToString());

        // Assert
        Assert.That(ordered, Is.EqualTo(new[] { "cgroup:path:/", "unix:gid:1", "unix:uid:2" }));
    }
}
