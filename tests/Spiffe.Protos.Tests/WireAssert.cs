using Google.Protobuf;

namespace Spiffe.Protos.Tests;

/// <summary>Asserts that a message encodes to exactly the given bytes and decodes back to itself.</summary>
internal static class WireAssert
{
    public static void Encodes(IMessage message, byte[] expected)
    {
        var actual = message.ToByteArray();
        var parsed = message.Descriptor.Parser.ParseFrom(expected);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Convert.ToHexString(actual), Is.EqualTo(Convert.ToHexString(expected)), "encoded bytes");
            Assert.That(parsed, Is.EqualTo(message), "decoded message");
        }
    }
}
