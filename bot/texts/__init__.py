"""Chat text for what the lower packages return: cluster findings, plans and errors; agent
run costs and failures. The lower packages return data and codes; this turns them into
words from the message catalogue."""
