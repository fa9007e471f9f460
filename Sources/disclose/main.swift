print("disclose")
