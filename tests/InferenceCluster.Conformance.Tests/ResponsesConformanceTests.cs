using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenAI.Responses;

namespace InferenceCluster.Conformance.Tests;

/// <summary><c>POST /v1/responses</c> through the official SDK's Responses client, and its raw event stream.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ResponsesConformanceTests(EmbeddedClusterFixture cluster)
{
    private const string Model = EmbeddedClusterFixture.Model;

    private ResponsesClient Responses => cluster.OpenAI.GetResponsesClient();

    [Fact]
    public async Task CreateResponse_Greedy_SdkReadsItemsUsageAndStatus()
    {
        const int MaxTokens = 8;
        var options = new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("Why is the sky blue?")])
        {
            Instructions = "Answer briefly.",
            Temperature = 0f,
            MaxOutputTokenCount = MaxTokens,
        };

        ResponseResult response = await Responses.CreateResponseAsync(options);

        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.Equal(Model, response.Model);
        var usage = response.Usage;
        Assert.True(usage.InputTokenCount > 0);
        Assert.InRange(usage.OutputTokenCount, 1, MaxTokens);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
        Assert.InRange(usage.OutputTokenDetails.ReasoningTokenCount, 0, usage.OutputTokenCount);
        if (usage.OutputTokenCount == MaxTokens)
        {
            Assert.Equal(ResponseStatus.Incomplete, response.Status);
            Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, response.IncompleteStatusDetails.Reason);
        }
        else
        {
            Assert.Equal(ResponseStatus.Completed, response.Status);
        }

        // At most a reasoning item, then at most a message; never nothing.
        var kinds = response.OutputItems.Select(item => item.GetType()).ToList();
        Assert.InRange(kinds.Count, 1, 2);
        Assert.Equal(kinds, kinds.OrderBy(kind => kind == typeof(ReasoningResponseItem) ? 0 : 1));
        Assert.All(kinds, kind => Assert.True(kind == typeof(ReasoningResponseItem) || kind == typeof(MessageResponseItem), kind.Name));
        Assert.Equal(kinds.Contains(typeof(ReasoningResponseItem)), usage.OutputTokenDetails.ReasoningTokenCount > 0);
    }

    [Fact]
    public async Task CreateResponseStreaming_SdkSeesTheDocumentedSequenceEndingInTheFinalResponse()
    {
        var options = new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("Tell me about the sea.")])
        {
            Temperature = 0.7f,
            TopP = 0.9f,
            MaxOutputTokenCount = 12,
            StreamingEnabled = true,
        };

        var updates = new List<StreamingResponseUpdate>();
        await foreach (var update in await Responses.CreateResponseStreamingAsync(options))
        {
            updates.Add(update);
        }

        Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]);
        Assert.IsType<StreamingResponseInProgressUpdate>(updates[1]);
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(update => update.SequenceNumber));
        var final = updates[^1] switch
        {
            StreamingResponseCompletedUpdate completed => completed.Response,
            StreamingResponseIncompleteUpdate incomplete => incomplete.Response,
            var other => throw new Xunit.Sdk.XunitException($"the stream ended with {other.Kind}"),
        };
        Assert.InRange(final.Usage.OutputTokenCount, 1, 12);

        // The deltas add up to the final output, item by item.
        var text = string.Concat(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(update => update.Delta));
        Assert.Equal(final.GetOutputText() ?? string.Empty, text);
        var reasoning = updates.OfType<StreamingResponseReasoningTextDeltaUpdate>().ToList();
        Assert.Equal(reasoning.Count > 0, final.OutputItems.OfType<ReasoningResponseItem>().Any());
        Assert.Equal(updates.OfType<StreamingResponseOutputItemAddedUpdate>().Count(), updates.OfType<StreamingResponseOutputItemDoneUpdate>().Count());
        Assert.Equal(final.OutputItems.Count, updates.OfType<StreamingResponseOutputItemDoneUpdate>().Count());
    }

    [Fact]
    public async Task CreateResponse_StoreTrue_RejectedNamingStore()
    {
        var options = new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("Hi")]) { StoredOutputEnabled = true };

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Responses.CreateResponseAsync(options));

        Assert.Equal(400, error.Status);
        Assert.Contains("'store'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_SameConversationAsChat_SameReasoningAndAnswer()
    {
        var chat = await Raw.PostAsync(cluster.Http, "/v1/chat/completions",
            $$"""{"model":"{{Model}}","messages":[{"role":"system","content":"Be kind."},{"role":"user","content":"Hello"}],"max_tokens":10,"temperature":0}""");
        var response = await Raw.PostAsync(cluster.Http, "/v1/responses",
            $$"""{"model":"{{Model}}","instructions":"Be kind.","input":[{"role":"user","content":[{"type":"input_text","text":"Hello"}]}],"max_output_tokens":10,"temperature":0}""");

        var message = chat.GetProperty("choices")[0].GetProperty("message");
        var output = response.GetProperty("output").EnumerateArray().ToList();
        string Text(string itemType) => string.Concat(output
            .Where(item => item.GetProperty("type").GetString() == itemType)
            .SelectMany(item => item.GetProperty("content").EnumerateArray())
            .Select(part => part.GetProperty("text").GetString()));
        Assert.Equal(message.TryGetProperty("reasoning_content", out var r) ? r.GetString() : string.Empty, Text("reasoning"));
        Assert.Equal(message.GetProperty("content").GetString(), Text("message"));
        Assert.Equal(chat.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), response.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(chat.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), response.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task ResponsesStream_EventsInTheDocumentedOrder_NamedEventsAndNoDoneMarker()
    {
        using var http = await cluster.Http.PostAsync("/v1/responses", new StringContent(
            $$"""{"model":"{{Model}}","input":"Go on.","max_output_tokens":10,"temperature":0.9,"seed":3,"stream":true}""", Encoding.UTF8, "application/json"));
        var body = await http.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, http.StatusCode);
        Assert.Equal("text/event-stream", http.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);

        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block =>
        {
            var lines = block.Split('\n');
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone();
            Assert.Equal(lines[0]["event: ".Length..], data.GetProperty("type").GetString());
            return data;
        }).ToList();
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));

        // Collapse runs of deltas, then the whole sequence must be one of the documented shapes.
        var names = events.Select(e => e.GetProperty("type").GetString()!).Where((name, i) => i == 0 || name != events[i - 1].GetProperty("type").GetString()).ToList();
        string[] reasoning = ["response.output_item.added", "response.content_part.added", "response.reasoning_text.delta", "response.reasoning_text.done", "response.content_part.done", "response.output_item.done"];
        string[] message = ["response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.done", "response.content_part.done", "response.output_item.done"];
        var end = events[^1].GetProperty("type").GetString()!;
        Assert.Contains(end, new[] { "response.completed", "response.incomplete" });
        string[][] shapes = [[.. reasoning], [.. message], [.. reasoning, .. message], [.. message.Where(name => name != "response.output_text.delta")]];
        Assert.Contains(shapes, shape => names.SequenceEqual(["response.created", "response.in_progress", .. shape, end]));
        var final = events[^1].GetProperty("response");
        Assert.Equal(end == "response.incomplete" ? "max_output_tokens" : null,
            final.GetProperty("incomplete_details") is { ValueKind: JsonValueKind.Object } details ? details.GetProperty("reason").GetString() : null);
    }

    /// <summary>
    /// The SDKs rebuild the response from the events: a text event's <c>content_index</c> must name a part that a
    /// <c>response.content_part.added</c> put into its item, reasoning text as much as the answer's.
    /// </summary>
    [Fact]
    public async Task ResponsesStream_ReasoningAndAnswer_EveryTextEventNamesAnAddedPart()
    {
        using var http = await cluster.Http.PostAsync("/v1/responses", new StringContent(
            $$"""{"model":"{{Model}}","input":"What is 17 + 25?","max_output_tokens":256,"temperature":0,"stream":true}""", Encoding.UTF8, "application/json"));
        var body = await http.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, http.StatusCode);

        var items = new List<(string Type, List<string> Parts)>();
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(block.Split('\n')[1]["data: ".Length..]);
            var data = document.RootElement;
            var type = data.GetProperty("type").GetString()!;
            if (type == "response.output_item.added")
            {
                var item = data.GetProperty("item");
                items.Add((item.GetProperty("type").GetString()!, [.. item.GetProperty("content").EnumerateArray().Select(part => part.GetProperty("type").GetString()!)]));
            }
            else if (type == "response.content_part.added")
            {
                items[data.GetProperty("output_index").GetInt32()].Parts.Add(data.GetProperty("part").GetProperty("type").GetString()!);
            }
            else if (type.EndsWith(".delta", StringComparison.Ordinal) || type.EndsWith("_text.done", StringComparison.Ordinal) || type == "response.content_part.done")
            {
                var parts = items[data.GetProperty("output_index").GetInt32()].Parts;
                var index = data.GetProperty("content_index").GetInt32();
                Assert.True(index < parts.Count, $"{type} names content part {index} of an item with {parts.Count}");
                var expected = type == "response.content_part.done" ? data.GetProperty("part").GetProperty("type").GetString()
                    : type.Contains("reasoning", StringComparison.Ordinal) ? "reasoning_text" : "output_text";
                Assert.Equal(expected, parts[index]);
            }
        }

        Assert.Equal(["reasoning", "message"], items.Select(item => item.Type));
    }
}
