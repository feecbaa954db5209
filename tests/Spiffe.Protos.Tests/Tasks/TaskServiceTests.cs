using Spiffe.Proto.Agent.Task.V1;
using Task = Spiffe.Proto.Agent.Task.V1.Task;

namespace Spiffe.Protos.Tests.Tasks;

/// <summary>
/// Pins the agent's task service (spiffe.agent.task.v1, admin socket): the gRPC paths and the wire encoding of the
/// messages the CLI and the agent exchange.
/// </summary>
[TestFixture]
public sealed class TaskServiceTests
{
    [Test]
    public void File_PackageAndService_AreSpiffeAgentTaskV1Tasks()
    {
        // Act
        var file = TaskReflection.Descriptor;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(file.Package, Is.EqualTo("spiffe.agent.task.v1"));
            Assert.That(file.Services.Select(s => s.FullName), Is.EqualTo(new[] { "spiffe.agent.task.v1.Tasks" }));
            Assert.That(
                file.Services[0].Methods.Select(m => m.Name),
                Is.EqualTo(new[] { "StartTask", "AdoptTask", "EndTask", "ListTasks", "WatchTasks" }));
        }
    }

    [Test]
    public void Methods_Shapes_OnlyWatchTasksStreams()
    {
        // Act
        var methods = TaskReflection.Descriptor.Services[0].Methods;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(methods.Where(m => m.IsServerStreaming).Select(m => m.Name), Is.EqualTo(new[] { "WatchTasks" }));
            Assert.That(methods.Any(m => m.IsClientStreaming), Is.False);
            Assert.That(methods.Single(m => m.Name == "StartTask").OutputType.FullName, Is.EqualTo("spiffe.agent.task.v1.Task"));
            Assert.That(methods.Single(m => m.Name == "AdoptTask").OutputType.FullName, Is.EqualTo("spiffe.agent.task.v1.Task"));
            Assert.That(methods.Single(m => m.Name == "EndTask").OutputType.FullName, Is.EqualTo("spiffe.agent.task.v1.Task"));
            Assert.That(methods.Single(m => m.Name == "WatchTasks").OutputType.FullName, Is.EqualTo("spiffe.agent.task.v1.TaskEvent"));
        }
    }

    [Test]
    public void StartTaskRequest_AllFieldsSet_EncodesFieldsOneToSeven()
    {
        // Arrange
        var request = new StartTaskRequest
        {
            Id = "T1",
            Agent = "r",
            ParentId = "P",
            TtlSeconds = 900,
            KillOnExpiry = true,
            MainPid = 42,
            KeysNotExportable = true,
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x02, "T1",          // 1 id
            0x12, 0x01, "r",           // 2 agent
            0x1a, 0x01, "P",           // 3 parent_id
            0x20, 0x84, 0x07,          // 4 ttl_seconds = 900 (varint)
            0x28, 0x01,                // 5 kill_on_expiry
            0x30, 0x2a,                // 6 main_pid = 42
            0x38, 0x01));              // 7 keys_not_exportable
    }

    [Test]
    public void AdoptTaskRequest_PidAndId_EncodesFieldsOneAndTwo()
    {
        // Arrange
        var request = new AdoptTaskRequest { Pid = 7, Id = "T" };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x08, 0x07,                // 1 pid
            0x12, 0x01, "T"));         // 2 id
    }

    [Test]
    public void EndTaskRequest_WithKill_EncodesFieldsOneAndTwo()
    {
        // Act + Assert
        WireAssert.Encodes(new EndTaskRequest { Id = "T", Kill = true }, WireBytes.Of(
            0x0a, 0x01, "T",           // 1 id
            0x10, 0x01));              // 2 kill
    }

    [Test]
    public void Task_EndedTask_EncodesStateReasonAndKeysFlag()
    {
        // Arrange
        var task = new Task { Id = "T", Deadline = 1, State = TaskState.Ended, EndReason = "x", KeysNotExportable = true };

        // Act + Assert
        WireAssert.Encodes(task, WireBytes.Of(
            0x0a, 0x01, "T",           // 1 id
            0x20, 0x01,                // 4 deadline
            0x50, 0x02,                // 10 state = TASK_STATE_ENDED
            0x5a, 0x01, "x",           // 11 end_reason
            0x70, 0x01));              // 14 keys_not_exportable
    }

    [Test]
    public void Task_IdentityFields_EncodeFieldsFiveToNine()
    {
        // Arrange
        var task = new Task { Cgroup = "c", MainPid = 3, SpiffeId = "s", EntryId = "e", KillOnExpiry = true };

        // Act + Assert
        WireAssert.Encodes(task, WireBytes.Of(
            0x2a, 0x01, "c",           // 5 cgroup
            0x30, 0x03,                // 6 main_pid
            0x3a, 0x01, "s",           // 7 spiffe_id
            0x42, 0x01, "e",           // 8 entry_id
            0x48, 0x01));              // 9 kill_on_expiry
    }

    [Test]
    public void TaskEvent_Ended_EncodesKindThenTask()
    {
        // Arrange
        var taskEvent = new TaskEvent { Kind = TaskEvent.Types.Kind.Ended, Task = new Task { Id = "T" } };

        // Act + Assert
        WireAssert.Encodes(taskEvent, WireBytes.Of(
            0x08, 0x02,                // 1 kind = ENDED
            0x12, 0x03,                // 2 task, 3 bytes
            0x0a, 0x01, "T"));         //   1 id
    }

    [Test]
    public void ListTasks_AgentFilterAndResponse_EncodeFieldOne()
    {
        // Arrange
        var response = new ListTasksResponse { Tasks = { new Task { Id = "T" } } };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(new ListTasksRequest { Agent = "r" }, WireBytes.Of(0x0a, 0x01, "r"));
            WireAssert.Encodes(response, WireBytes.Of(0x0a, 0x03, 0x0a, 0x01, "T"));
        }
    }
}
