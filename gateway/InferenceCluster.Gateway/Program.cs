await InferenceCluster.Gateway.GatewayApp.Create(args).RunAsync();
