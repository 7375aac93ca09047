print("hello from curl-artifact")
