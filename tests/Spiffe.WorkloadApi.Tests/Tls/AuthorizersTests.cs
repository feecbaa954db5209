using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.Tls;

[TestFixture]
public sealed class AuthorizersTests
{
    private static readonly IReadOnlyList<X509Certificate2> NoChain = [];

    [Test]
    public void AuthorizeAny_AnyId_Allows()
    {
        // Act & Assert
        Assert.DoesNotThrow(() => Authorizers.AuthorizeAny()(Partner, NoChain));
    }

    [Test]
    public void AuthorizeId_SameAndOtherId_AllowsOnlySame()
    {
        // Arrange
        var authorizer = Authorizers.AuthorizeId(Web);

        // Act & Assert
        Assert.DoesNotThrow(() => authorizer(Web, NoChain));
        Assert.That(() => authorizer(Db, NoChain), Throws.TypeOf<PeerAuthorizationException>().With.Message.EqualTo($"unexpected ID \"{Db}\": only \"{Web}\" is allowed"));
    }

    [Test]
    public void AuthorizeOneOf_ListedAndUnlistedIds_AllowsOnlyListed()
    {
        // Arrange
        var authorizer = Authorizers.AuthorizeOneOf(Web, Partner);

        // Act & Assert
        Assert.DoesNotThrow(() => authorizer(Partner, NoChain));
        Assert.That(() => authorizer(Db, NoChain), Throws.TypeOf<PeerAuthorizationException>().With.Message.Contains($"unexpected ID \"{Db}\""));
    }

    [Test]
    public void AuthorizeMemberOf_MemberAndForeignId_AllowsOnlyMember()
    {
        // Arrange
        var authorizer = Authorizers.AuthorizeMemberOf(Domain);

        // Act & Assert
        Assert.DoesNotThrow(() => authorizer(Db, NoChain));
        Assert.That(() => authorizer(Partner, NoChain), Throws.TypeOf<PeerAuthorizationException>().With.Message.Contains("unexpected trust domain \"partner.test\""));
    }

    [Test]
    public void AdaptMatcher_Predicate_DecidesPerId()
    {
        // Arrange
        var authorizer = Authorizers.AdaptMatcher(id => id.Path.StartsWith("/w", StringComparison.Ordinal));

        // Act & Assert
        Assert.DoesNotThrow(() => authorizer(Web, NoChain));
        Assert.That(() => authorizer(Db, NoChain), Throws.TypeOf<PeerAuthorizationException>().With.Message.Contains("refused by the matcher"));
    }

    [Test]
    public void Factories_ZeroOrEmptyArguments_Throw()
    {
        // Act & Assert
        Assert.Throws<ArgumentException>(() => Authorizers.AuthorizeId(default));
        Assert.Throws<ArgumentException>(() => Authorizers.AuthorizeOneOf());
        Assert.Throws<ArgumentException>(() => Authorizers.AuthorizeOneOf(Web, default(SpiffeId)));
        Assert.Throws<ArgumentException>(() => Authorizers.AuthorizeMemberOf(default));
        Assert.Throws<ArgumentNullException>(() => Authorizers.AdaptMatcher(null!));
    }
}
