using InferenceCluster.Worker;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddMetricsListener(WorkerOptions.SectionName);
builder.Services.AddInferenceEngine(builder.Configuration);
builder.Services.AddInferenceWorker(builder.Configuration);
builder.AddWorkerMessaging();

builder.Build().Run();
