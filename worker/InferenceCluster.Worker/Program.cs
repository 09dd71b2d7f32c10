using InferenceCluster.Worker;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddMetricsListener(WorkerOptions.SectionName);
builder.AddInferenceWorker();

builder.Build().Run();
